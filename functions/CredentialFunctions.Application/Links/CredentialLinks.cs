namespace CredentialFunctions.Application.Links;

/// <summary>
/// Every public address of a credential, built from the app's public base address (never from a
/// request's Host header, which the client writes): the verification page, its QR code and PDF,
/// the signed badge, and the renewal page the reminders link to.
/// </summary>
public sealed class CredentialLinks(Uri publicBaseUrl)
{
    private readonly string _base = publicBaseUrl.ToString().TrimEnd('/');

    public Uri Verification(string certificateId) => new($"{_base}/api/verify/{Escape(certificateId)}");

    public Uri QrCode(string certificateId, string format) => new($"{_base}/api/verify/{Escape(certificateId)}/qr?format={Uri.EscapeDataString(format)}");

    public Uri Pdf(string certificateId) => new($"{_base}/api/verify/{Escape(certificateId)}/pdf");

    public Uri Badge(string certificateId) => new($"{_base}/api/credentials/{Escape(certificateId)}/badge");

    /// <summary>Under the app's route prefix like every route of the app: the Functions host serves nothing outside it.</summary>
    public Uri Renewal(string certificateId) => new($"{_base}/api/renew/{Escape(certificateId)}");

    private static string Escape(string certificateId) => Uri.EscapeDataString(certificateId);
}
