namespace CredentialFunctions.Adapters;

/// <summary>
/// App settings section "Links": where links sent to learners and employers point. Emails link to
/// <c>{PublicBaseUrl}/api/verify/{certificateId}</c> (this app's public verification endpoint) and
/// <c>{PublicBaseUrl}/api/renew/{certificateId}</c> (the learner's renewal page), both served by this app.
/// </summary>
public sealed class LinkOptions
{
    public const string Section = "Links";

    /// <summary>The public HTTPS address of the app, e.g. https://func-abc.azurewebsites.net. Bicep sets it from the function app's host name.</summary>
    public string PublicBaseUrl { get; set; } = "";

    public Uri PublicBaseUri() => Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
        ? uri
        : throw new InvalidOperationException($"Links__PublicBaseUrl must be an absolute http(s) address, not '{PublicBaseUrl}': links in emails start from it.");
}
