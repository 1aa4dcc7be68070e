using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Issuance;

/// <summary>
/// A learner's first credential of a program has one id, made from the two under the program's key
/// (<see cref="CertificateId.FirstOf"/>), whichever path issues it. So its create-if-absent is itself
/// the one-credential rule for the first issue, and bulk issuance needs no other write to keep it:
/// it writes no holding. Every path that reads a holding reads it through here, and a first
/// credential without one (issued in bulk) implies the holding naming it, written at that first read.
/// A later credential (after the first was revoked, say) is decided on the holding as before.
/// </summary>
/// <remarks>
/// The purge log is why a first credential's id is not always free: a purge deletes the record, and
/// the learner's next first pass must not bring the id back. A purge writes its log entry before it
/// deletes, so a reader that found the record missing and then reads no entry knows the id was never
/// purged (on a store whose reads see every write before them, as Cosmos DB's in one region do).
/// </remarks>
public sealed class FirstCredentials(IHoldingStore holdings, ICredentialStore credentials, IPurgeLog purgeLog, IIdSource ids)
{
    private const int MaxAttempts = 10;

    public async Task<CertificateId> IdOfAsync(string programId, string learnerId, CancellationToken cancellationToken)
        => CertificateId.FirstOf(await holdings.FirstCredentialKeyAsync(programId, cancellationToken), programId, learnerId);

    /// <summary>The first credential ids of many learners of one program, in their order.</summary>
    public async Task<IReadOnlyList<CertificateId>> IdsOfAsync(string programId, IEnumerable<string> learnerIds, CancellationToken cancellationToken)
    {
        var key = await holdings.FirstCredentialKeyAsync(programId, cancellationToken);
        return [.. learnerIds.Select(learnerId => CertificateId.FirstOf(key, programId, learnerId))];
    }

    /// <summary>The learner's holding of the program; when there is none but the first credential exists, the holding it implies, written now. Null when the learner never held the program.</summary>
    public async Task<Versioned<Holding>?> HoldingAsync(string learnerId, string programId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await holdings.GetAsync(learnerId, programId, cancellationToken) is { } current) return current;
            if (await ImpliedAsync(learnerId, programId, await IdOfAsync(programId, learnerId, cancellationToken), cancellationToken) is not { } implied) return null;
            if (await holdings.CreateIfAbsentAsync(implied, cancellationToken) is { } etag) return new Versioned<Holding>(implied, etag);
        }
        throw new Domain.ConcurrencyConflictException($"The holding of program '{programId}' by {learnerId} kept changing; try again.");
    }

    /// <summary>As <see cref="HoldingAsync"/>, read and not written: for a dry run.</summary>
    public async Task<Holding?> PeekAsync(string learnerId, string programId, CancellationToken cancellationToken)
    {
        if (await holdings.GetAsync(learnerId, programId, cancellationToken) is { } current) return current.Value;
        // A program without its key yet has issued no first credential by it.
        if (await holdings.FindFirstCredentialKeyAsync(programId, cancellationToken) is not { } key) return null;
        return await ImpliedAsync(learnerId, programId, CertificateId.FirstOf(key, programId, learnerId), cancellationToken);
    }

    /// <summary>
    /// The id for a credential of a learner who has no holding of the program (<see cref="HoldingAsync"/>
    /// found none): the first credential's, unless a purge removed a record under it.
    /// </summary>
    public async Task<CertificateId> NewIdAsync(string programId, string learnerId, CancellationToken cancellationToken)
    {
        var first = await IdOfAsync(programId, learnerId, cancellationToken);
        return await purgeLog.GetAsync(first.Value, cancellationToken) is null ? first : ids.NewCertificateId();
    }

    private async Task<Holding?> ImpliedAsync(string learnerId, string programId, CertificateId first, CancellationToken cancellationToken)
        => await credentials.GetAsync(first.Value, cancellationToken) is null ? null : new Holding(learnerId, programId, first.Value, null);
}
