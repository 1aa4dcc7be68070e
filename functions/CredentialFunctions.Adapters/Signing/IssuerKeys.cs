using Azure.Core;
using CredentialFunctions.Application.Signing;

namespace CredentialFunctions.Adapters.Signing;

/// <summary>Picks the issuer keys the settings describe (see <see cref="SigningOptions"/>).</summary>
public static class IssuerKeys
{
    public static IIssuerKeys Create(SigningOptions options, TokenCredential credential, TimeProvider time)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyVaultUri))
        {
            return string.IsNullOrWhiteSpace(options.KeyName)
                ? throw new InvalidOperationException($"{SigningOptions.Section}__{nameof(SigningOptions.KeyVaultUri)} is set: set {SigningOptions.Section}__{nameof(SigningOptions.KeyName)} too.")
                : new KeyVaultIssuerKeys(options, credential, time);
        }
        if (!string.IsNullOrWhiteSpace(options.DevelopmentKey)) return new DevelopmentIssuerKeys(options);
        throw new InvalidOperationException(
            $"No issuer signing key: set {SigningOptions.Section}__{nameof(SigningOptions.KeyVaultUri)} and __{nameof(SigningOptions.KeyName)} (Azure) or, locally, __{nameof(SigningOptions.DevelopmentKey)}.");
    }
}
