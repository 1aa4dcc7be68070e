using System.Globalization;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.App.Artifacts;

/// <summary>
/// LinkedIn's "add to profile" address for a certification: the fields LinkedIn pre-fills
/// (name, issuing organization, issue and expiry month, the credential's URL and id), nothing of the holder.
/// </summary>
public static class LinkedIn
{
    public static Uri AddToProfile(Credential credential, Uri verificationUrl)
    {
        var fields = new List<(string, string)>
        {
            ("startTask", "CERTIFICATION_NAME"),
            ("name", credential.Program.Name),
            ("organizationName", credential.Program.IssuingOrganization),
            ("issueYear", Year(credential.IssuedAt)),
            ("issueMonth", Month(credential.IssuedAt)),
        };
        if (credential.ExpiresAt is { } expiry) fields.AddRange([("expirationYear", Year(expiry)), ("expirationMonth", Month(expiry))]);
        fields.AddRange([("certUrl", verificationUrl.AbsoluteUri), ("certId", credential.CertificateId)]);
        return new Uri("https://www.linkedin.com/profile/add?" + string.Join('&', fields.Select(f => $"{f.Item1}={Uri.EscapeDataString(f.Item2)}")));
    }

    private static string Year(DateTimeOffset at) => at.UtcDateTime.Year.ToString(CultureInfo.InvariantCulture);

    private static string Month(DateTimeOffset at) => at.UtcDateTime.Month.ToString(CultureInfo.InvariantCulture);
}
