namespace CredentialFunctions.Adapters.Access;

/// <summary>App settings section "Access": how bearer tokens are validated.</summary>
public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>Entra ID authority, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Its OpenID metadata supplies the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The app registration's application id URI or client id: tokens must be issued for it.</summary>
    public string Audience { get; set; } = "api://credential-functions";

    /// <summary>
    /// Local development only: a base64 HMAC key that signs and validates tokens minted by the local
    /// host's `token` command. Ignored when <see cref="Authority"/> is set.
    /// </summary>
    public string? DevelopmentSigningKey { get; set; }

    /// <summary>The issuer of development tokens.</summary>
    public string DevelopmentIssuer { get; set; } = "https://localhost/credential-functions-dev";
}
