using CredentialFunctions.Application.Ports;

namespace CredentialFunctions.Application.Verification;

/// <summary>Keys given directly: locally the one development key; in tests several, to rotate them.</summary>
public sealed class ConfiguredAnchorKeys(AnchorKey current, params IReadOnlyList<AnchorKey> older) : IAnchorKeys
{
    public Task<AnchorKey> CurrentAsync(CancellationToken cancellationToken) => Task.FromResult(current);

    public Task<AnchorKey?> FindAsync(string keyId, CancellationToken cancellationToken)
        => Task.FromResult(older.Prepend(current).FirstOrDefault(k => k.Id == keyId));
}
