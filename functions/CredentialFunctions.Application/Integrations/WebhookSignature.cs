using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CredentialFunctions.Application.Integrations;

/// <summary>
/// Signed webhooks: header <c>X-Webhook-Signature: t={unix seconds},v1={hex HMAC-SHA256}</c> where
/// the HMAC key is the integration's secret and the message is "{t}.{raw body}". The timestamp is
/// inside the signature, so a captured request cannot be replayed after <c>maxAge</c>.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Webhook-Signature";

    public enum Failure { None, Missing, Malformed, Stale, Mismatch }

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
        => $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Mac(secret, unixSeconds, body))}";

    public static Failure Verify(string? header, string secret, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan maxAge)
    {
        if (string.IsNullOrWhiteSpace(header)) return Failure.Missing;
        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return Failure.Malformed;
            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)) timestamp = t;
            else if (name == "v1" && value.Length == 64)
            {
                try { signatures.Add(Convert.FromHexString(value)); }
                catch (FormatException) { return Failure.Malformed; }
            }
        }
        if (timestamp is not { } ts || signatures.Count == 0) return Failure.Malformed;
        // Both directions: a timestamp far in the future is as suspicious as an old one.
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > maxAge.TotalSeconds) return Failure.Stale;
        var expected = Mac(secret, ts, body);
        // Several v1 values let an integration sign with the old and new secret during a rotation.
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(s, expected)) ? Failure.None : Failure.Mismatch;
    }

    private static byte[] Mac(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
