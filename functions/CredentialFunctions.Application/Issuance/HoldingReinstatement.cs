using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// Reinstatement re-opens a credential, so it holds the program as a pass does: it first takes the
/// learner's <see cref="Holding"/> of the program with the holding's ETag, marked
/// <see cref="Holding.Reinstating"/>, then writes the credential, then clears the mark. A pass that
/// read the holding before cannot issue beside it (its conditional write fails and it reads the mark),
/// and once a pass has issued another credential the reinstatement is refused. The mark is finished,
/// never undone: by the request, a retry of it, or <see cref="IssuanceReconciliation"/>; so the
/// credential it names holds the program from the moment it is written.
/// </summary>
/// <remarks>
/// Revocation and supersession let go of the program without touching the holding (a pass reads the
/// credential and sees it closed). Reinstatement is the only way out of those states, so every other
/// re-opening (the renewal of a lapsed credential) is of a credential its holding still names.
/// </remarks>
public sealed class HoldingReinstatement(IHoldingStore holdings, FirstCredentials firsts, ICredentialStore credentials, CredentialUpdater updater)
{
    private const int MaxAttempts = 10;

    public async Task<Credential> ReinstateAsync(string certificateId, PendingReinstatement reinstatement, CancellationToken cancellationToken)
    {
        var credential = (await credentials.GetAsync(certificateId, cancellationToken) ?? throw new NotFoundException("Credential", certificateId)).Value;
        var (learnerId, programId) = (credential.Holder.LearnerId, credential.Program.ProgramId);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await firsts.HoldingAsync(learnerId, programId, cancellationToken);
            // An earlier reinstatement of this credential that did not finish (its request died, or is still writing): finishing it is what this one asks for.
            if (current?.Value is { Reinstating: { } earlier } named && named.CertificateId == certificateId)
                return await FinishAsync(named, earlier, cancellationToken);

            // The record refuses before anything is taken: a reason that is not one line, a credential that is not lapsed or revoked.
            _ = credential.Reinstate(reinstatement.At, reinstatement.Actor, reinstatement.Reason);
            var taken = new Holding(learnerId, programId, certificateId, null, reinstatement);
            if (current is null)
            {
                // Not the learner's first credential (whose holding the read implies) and no pass or import wrote one: nothing holds the program.
                if (await holdings.TryCreateAsync(taken, cancellationToken)) return await FinishAsync(taken, reinstatement, cancellationToken);
                continue;
            }
            var holding = current.Value;
            if (holding.Pending is not null)
                throw new ConcurrencyConflictException($"An LMS pass of program '{programId}' is being recorded for this learner; reinstate {certificateId} again in a moment.");
            if (holding.Reinstating is not null || (holding.CertificateId != certificateId && await IsOpenAsync(holding.CertificateId, cancellationToken)))
                throw new ProgramHeldException(certificateId, programId, holding.CertificateId);
            if (await holdings.TryReplaceAsync(taken, current.ETag, cancellationToken)) return await FinishAsync(taken, reinstatement, cancellationToken);
        }
        throw new ConcurrencyConflictException($"The holding of program '{programId}' by {learnerId} kept changing; reinstate {certificateId} again.");
    }

    /// <summary>Finishes a reinstatement left on a holding whose request died.</summary>
    public Task<Credential> FinishPendingAsync(Holding holding, CancellationToken cancellationToken)
        => FinishAsync(holding, holding.Reinstating ?? throw new ArgumentException("The holding has no reinstatement pending.", nameof(holding)), cancellationToken);

    /// <summary>
    /// Applies the reinstatement unless the record shows it applied, or open by other means (a renewal
    /// of the lapsed credential while the mark stood), then clears the mark; harmless when repeated.
    /// </summary>
    private async Task<Credential> FinishAsync(Holding holding, PendingReinstatement reinstatement, CancellationToken cancellationToken)
    {
        var reinstated = await updater.UpdateAsync(holding.CertificateId, c =>
            c.State is CredentialState.Lapsed or CredentialState.Revoked && !c.AuditTrail.Any(e => e.Action == AuditAction.Reinstated && e.At == reinstatement.At && e.Actor == reinstatement.Actor)
                ? c.Reinstate(reinstatement.At, reinstatement.Actor, reinstatement.Reason)
                : null, cancellationToken);
        while (await holdings.GetAsync(holding.LearnerId, holding.ProgramId, cancellationToken) is { } current
               && current.Value.CertificateId == holding.CertificateId && current.Value.Reinstating == reinstatement)
        {
            if (await holdings.TryReplaceAsync(current.Value with { Reinstating = null }, current.ETag, cancellationToken)) break;
        }
        return reinstated;
    }

    /// <summary>Open as a pass sees it: a credential that was lost to its receipt's race, or is revoked or superseded, holds nothing.</summary>
    private async Task<bool> IsOpenAsync(string certificateId, CancellationToken cancellationToken)
        => (await credentials.GetAsync(certificateId, cancellationToken))?.Value is { HasEnded: false };
}
