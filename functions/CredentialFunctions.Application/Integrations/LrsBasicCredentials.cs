using System.Security.Cryptography;
using System.Text;

namespace CredentialFunctions.Application.Integrations;

/// <summary>
/// HTTP Basic (RFC 7617) as LRS statement forwarding sends it: <c>Authorization: Basic base64(user:secret)</c>,
/// UTF-8. Both parts are compared in constant time, so a wrong guess says nothing about how close it was.
/// </summary>
public static class LrsBasicCredentials
{
    public static string Header(string userName, string secret) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{secret}"));

    public static bool Match(string? authorization, string userName, string secret)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        byte[] decoded;
        try { decoded = Convert.FromBase64String(authorization["Basic ".Length..].Trim()); }
        catch (FormatException) { return false; }
        var colon = Array.IndexOf(decoded, (byte)':');
        if (colon < 0) return false;
        var userMatches = CryptographicOperations.FixedTimeEquals(decoded.AsSpan(0, colon), Encoding.UTF8.GetBytes(userName));
        var secretMatches = CryptographicOperations.FixedTimeEquals(decoded.AsSpan(colon + 1), Encoding.UTF8.GetBytes(secret));
        return userMatches & secretMatches;
    }
}
