using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure;
using Azure.Security.KeyVault.Secrets;
using CredentialFunctions.Application.Ports;

namespace CredentialFunctions.Adapters.Anchors;

/// <summary>
/// The anchor keys as the versions of one Key Vault secret, read with the app's identity: the
/// latest version seals, and a version's id is its key id, so rotating is setting a new version
/// (<c>az keyvault secret set</c>) and every older version still checks the anchors it made. The
/// database's writers hold no right on the vault.
/// </summary>
public sealed partial class KeyVaultAnchorKeys(SecretClient secrets, string secretName, TimeProvider clock) : IAnchorKeys
{
    /// <summary>How long an instance seals with the version it read before asking for the latest again: a rotation reaches every instance within it.</summary>
    public static readonly TimeSpan CurrentKeyLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Versions never change, so each is read once; a version the vault does not have is remembered as missing too.</summary>
    private readonly ConcurrentDictionary<string, AnchorKey?> _versions = new(StringComparer.Ordinal);
    private volatile CurrentKey? _current;

    private sealed record CurrentKey(AnchorKey Key, DateTimeOffset ReadAt);

    public async Task<AnchorKey> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_current is { } current && now - current.ReadAt < CurrentKeyLifetime) return current.Key;
        var key = ToKey((await secrets.GetSecretAsync(secretName, cancellationToken: cancellationToken)).Value);
        _versions[key.Id] = key;
        _current = new CurrentKey(key, now);
        return key;
    }

    public async Task<AnchorKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        // The key id comes from the stored document: only a version id's shape reaches the vault's URL.
        if (!VersionId().IsMatch(keyId)) return null;
        if (_versions.TryGetValue(keyId, out var known)) return known;
        try
        {
            known = ToKey((await secrets.GetSecretAsync(secretName, keyId, cancellationToken)).Value);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            known = null;
        }
        return _versions.GetOrAdd(keyId, known);
    }

    private AnchorKey ToKey(KeyVaultSecret secret)
        => new(secret.Properties.Version, AnchorKeys.Decode(secret.Value, $"Key Vault secret '{secretName}' version {secret.Properties.Version}"));

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex VersionId();
}
