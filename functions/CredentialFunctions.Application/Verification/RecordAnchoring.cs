using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Verification;

/// <summary>
/// Seals a credential's audit chain with the current anchor key as the store writes it, and checks
/// a stored record's anchor, so whoever can write the database but holds no key cannot make an
/// edited, truncated, swapped or forged record pass verification.
/// </summary>
public sealed class RecordAnchoring(IAnchorKeys keys)
{
    /// <summary>The record with an anchor over its chain as it is now, with the current key.</summary>
    public async Task<Credential> SealAsync(Credential credential, CancellationToken cancellationToken)
    {
        var key = await keys.CurrentAsync(cancellationToken);
        return credential with { Anchor = AuditAnchor.Make(key.Id, key.Secret, credential.CertificateId, credential.AuditTrail) };
    }

    public async Task<AnchorFailure> CheckAsync(Credential credential, CancellationToken cancellationToken)
    {
        if (credential.Anchor is not { } anchor) return AnchorFailure.Missing;
        if (!anchor.IsWellFormed) return AnchorFailure.Malformed;
        if (await keys.FindAsync(anchor.KeyId, cancellationToken) is not { } key) return AnchorFailure.UnknownKey;
        return anchor.Seals(key.Secret, credential.CertificateId, credential.AuditTrail) ? AnchorFailure.None : AnchorFailure.Mismatch;
    }
}
