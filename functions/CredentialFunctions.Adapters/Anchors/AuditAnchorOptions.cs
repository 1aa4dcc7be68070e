namespace CredentialFunctions.Adapters.Anchors;

/// <summary>
/// App settings section "AuditAnchors": where the keys of audit anchors live. In Azure, the
/// versions of one Key Vault secret, read with the managed identity (<c>AuditAnchors__KeyVaultUri</c>,
/// which Bicep sets); locally, one development key (<c>AuditAnchors__DevelopmentKey</c>), which the
/// local host makes up for its session when none is set.
/// </summary>
public sealed class AuditAnchorOptions
{
    public const string Section = "AuditAnchors";

    /// <summary>The vault, e.g. https://kv-abc.vault.azure.net/.</summary>
    public string KeyVaultUri { get; set; } = "";

    /// <summary>The secret whose versions are the keys: its current version seals, each version's id is its key id.</summary>
    public string SecretName { get; set; } = "audit-anchor-key";

    /// <summary>Local only: base64 of at least 32 random bytes (<c>openssl rand -base64 32</c>). Ignored when <see cref="KeyVaultUri"/> is set.</summary>
    public string? DevelopmentKey { get; set; }
}
