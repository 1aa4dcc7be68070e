using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Retention;

namespace CredentialFunctions.Application.Retention;

/// <summary>
/// Public verification, which for an id whose record is gone asks the purge log: a record anonymised
/// under retention is answered as removed, with its dates and nothing else; a deleted one stays a 404,
/// as for an id never issued. The log is read only on a miss, so verifying a record is still one point read.
/// </summary>
public sealed class RetainedVerification(VerificationService verification, IPurgeLog log, TimeProvider clock)
{
    public async Task<VerificationResult> VerifyAsync(string text, CancellationToken cancellationToken)
    {
        try
        {
            return await verification.VerifyAsync(text, cancellationToken);
        }
        catch (NotFoundException)
        {
            if (await RemovedAsync(text, cancellationToken) is { } removed) return removed;
            throw;
        }
    }

    /// <summary>For an id whose record is missing: the answer for a record anonymised under retention, or null (never issued, or deleted).</summary>
    public async Task<VerificationResult?> RemovedAsync(string text, CancellationToken cancellationToken)
    {
        var certificateId = VerificationService.ParseOrThrow(text).Value;
        if (await log.GetAsync(certificateId, cancellationToken) is not { Mode: PurgeMode.Anonymise } entry) return null;
        return new VerificationResult(certificateId, false, null, null, null, null, null, null, clock.GetUtcNow(),
            $"This record was removed on {entry.PurgedAt:yyyy-MM-dd} under the issuer's retention policy: the credential it recorded ended on {entry.EndedAt:yyyy-MM-dd}, and nothing about its holder is kept.")
        {
            Removed = new RemovedRecord(entry.IssuedAt, entry.ExpiresAt, entry.EndedAt, entry.PurgedAt),
        };
    }
}
