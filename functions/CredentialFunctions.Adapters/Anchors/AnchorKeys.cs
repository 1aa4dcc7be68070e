using System.Security.Cryptography;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain.Audit;

namespace CredentialFunctions.Adapters.Anchors;

public static class AnchorKeys
{
    public static IAnchorKeys Create(AuditAnchorOptions options, TokenCredential credential, TimeProvider clock)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyVaultUri))
            return new KeyVaultAnchorKeys(new SecretClient(new Uri(options.KeyVaultUri), credential), options.SecretName, clock);
        if (!string.IsNullOrWhiteSpace(options.DevelopmentKey))
            return new ConfiguredAnchorKeys(Development(options.DevelopmentKey));
        throw new InvalidOperationException(
            $"Set {AuditAnchorOptions.Section}__{nameof(AuditAnchorOptions.KeyVaultUri)} (Azure) or, locally, {AuditAnchorOptions.Section}__{nameof(AuditAnchorOptions.DevelopmentKey)}: no credential can be written or verified without an anchor key.");
    }

    /// <summary>The key id is drawn from the key, so records sealed with another development key say "unknown key", not "mismatch".</summary>
    public static AnchorKey Development(string base64Key)
    {
        var secret = Decode(base64Key, $"{AuditAnchorOptions.Section}__{nameof(AuditAnchorOptions.DevelopmentKey)}");
        return new AnchorKey("development-" + Convert.ToHexStringLower(SHA256.HashData(secret))[..12], secret);
    }

    /// <summary>Base64 of at least <see cref="AuditAnchor.MinimumKeyBytes"/> bytes; anything else (an unresolved reference, a password) is refused rather than used.</summary>
    internal static byte[] Decode(string base64Key, string source)
    {
        var buffer = new byte[base64Key.Length];
        return Convert.TryFromBase64String(base64Key, buffer, out var length) && length >= AuditAnchor.MinimumKeyBytes
            ? buffer[..length]
            : throw new InvalidOperationException($"{source} must be base64 of at least {AuditAnchor.MinimumKeyBytes} random bytes, e.g. the output of `openssl rand -base64 32`.");
    }
}
