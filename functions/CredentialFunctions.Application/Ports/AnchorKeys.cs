namespace CredentialFunctions.Application.Ports;

/// <summary>A key that makes and checks audit anchors, by its id.</summary>
public sealed record AnchorKey(string Id, byte[] Secret);

/// <summary>
/// The keys of audit anchors, held where the database's writers cannot read them (Key Vault in
/// Azure): the current key seals every write, and each key that ever sealed stays findable by its
/// id, so rotating keys never makes an older anchor unverifiable.
/// </summary>
public interface IAnchorKeys
{
    Task<AnchorKey> CurrentAsync(CancellationToken cancellationToken);

    /// <summary>Null when no key has that id.</summary>
    Task<AnchorKey?> FindAsync(string keyId, CancellationToken cancellationToken);
}
