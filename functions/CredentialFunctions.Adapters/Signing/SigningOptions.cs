namespace CredentialFunctions.Adapters.Signing;

/// <summary>
/// App settings section "Signing": the issuer's RSA key that signs Open Badges credentials. In
/// Azure, a Key Vault key (<c>Signing__KeyVaultUri</c>, <c>Signing__KeyName</c>; Bicep sets both)
/// that never leaves the vault; locally, a development key in the settings. Key Vault wins when both are set.
/// </summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary>The vault, e.g. https://kv-abc.vault.azure.net/.</summary>
    public string KeyVaultUri { get; set; } = "";

    /// <summary>The RSA key in the vault; its enabled versions are all published, the newest signs.</summary>
    public string KeyName { get; set; } = "";

    /// <summary>
    /// Local development only: an RSA private key as a PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>).
    /// The local host generates one per session when none is set; never commit one.
    /// </summary>
    public string? DevelopmentKey { get; set; }

    /// <summary>
    /// Local development only: earlier development keys (public or private PEMs) still published for
    /// verification, as Key Vault publishes a key's older versions after a rotation.
    /// </summary>
    public string[] RetiredDevelopmentKeys { get; set; } = [];
}
