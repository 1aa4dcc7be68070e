using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Retention;

namespace CredentialFunctions.Application.Retention;

/// <summary>Places, lifts and lists legal holds, and answers whether one stops the purge of a credential.</summary>
public sealed class LegalHolds(ILegalHoldStore store, TimeProvider clock)
{
    public const int PageSize = 100;

    private readonly VersionedUpdater<LegalHold> _updater = new(store, "Legal hold");

    /// <summary>The subject's first hold creates its record; a later one is written onto it with the ETag.</summary>
    public async Task<LegalHold> PlaceAsync(HoldSubject subject, string subjectId, string reason, Caller caller, CancellationToken cancellationToken)
    {
        var placed = LegalHold.None(subject, subjectId).Place(clock.GetUtcNow(), caller.AuditName, reason);
        if (await store.TryCreateAsync(placed, cancellationToken)) return placed;
        return await _updater.WriteAsync(placed.Key, h => h.Place(clock.GetUtcNow(), caller.AuditName, reason), cancellationToken);
    }

    /// <summary>A bad reason is refused before the read, so it is a 400 whether or not the subject was ever held.</summary>
    public Task<LegalHold> LiftAsync(HoldSubject subject, string subjectId, string reason, Caller caller, CancellationToken cancellationToken)
    {
        var key = LegalHold.KeyOf(subject, LegalHold.RequireId(subjectId));
        reason = LegalHold.RequireReason(reason);
        return _updater.WriteAsync(key, h => h.Lift(clock.GetUtcNow(), caller.AuditName, reason), cancellationToken);
    }

    public Task<Page<LegalHold>> StandingAsync(string? continuationToken, CancellationToken cancellationToken)
        => store.StandingAsync(continuationToken, PageSize, cancellationToken);

    /// <summary>Whether a hold stands on the credential's learner or its program, read now: a hold placed a moment ago counts.</summary>
    public async Task<bool> HoldAsync(Credential credential, CancellationToken cancellationToken)
        => await StandsAsync(HoldSubject.Learner, credential.Holder.LearnerId, cancellationToken)
            || await StandsAsync(HoldSubject.Program, credential.Program.ProgramId, cancellationToken);

    private async Task<bool> StandsAsync(HoldSubject subject, string subjectId, CancellationToken cancellationToken)
        => (await store.GetAsync(LegalHold.KeyOf(subject, subjectId), cancellationToken))?.Value.Stands == true;
}
