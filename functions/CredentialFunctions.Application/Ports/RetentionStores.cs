using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Retention;

namespace CredentialFunctions.Application.Ports;

/// <summary>What the retention sweep reads: the programs that set a policy, and the credentials that may be past it.</summary>
public interface IRetentionRecords
{
    /// <summary>The current version of every program whose current version sets a retention policy.</summary>
    Task<IReadOnlyList<CertificationProgram>> ProgramsWithRetentionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Credentials of the program whose retention counts, on that basis, from no later than
    /// <paramref name="endedBy"/> (an indexed query; the policy decides each one), page by page; pass the
    /// same <paramref name="endedBy"/> with every page of one sweep.
    /// </summary>
    Task<Page<Credential>> EndedByAsync(string programId, RetentionBasis basis, DateTimeOffset endedBy, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}

/// <summary>Legal holds by <see cref="LegalHold.Key"/>: point reads, first creation wins, ETag-guarded replaces, and the list of those standing.</summary>
public interface ILegalHoldStore : IVersionedStore<LegalHold>
{
    /// <summary>Returns false when the subject's hold record already exists.</summary>
    Task<bool> TryCreateAsync(LegalHold hold, CancellationToken cancellationToken);

    Task<Page<LegalHold>> StandingAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken);
}

/// <summary>The purge log: append-only, one entry per purged certificate id, never replaced or deleted.</summary>
public interface IPurgeLog
{
    /// <summary>Returns false when the certificate's entry is already there (a re-run after a crash).</summary>
    Task<bool> TryAppendAsync(PurgeLogEntry entry, CancellationToken cancellationToken);

    Task<PurgeLogEntry?> GetAsync(string certificateId, CancellationToken cancellationToken);

    /// <summary>Which of these certificate ids have an entry: one query for a batch of them.</summary>
    Task<IReadOnlySet<string>> PurgedAmongAsync(IReadOnlyCollection<string> certificateIds, CancellationToken cancellationToken);

    /// <summary>Every entry, the latest purge first.</summary>
    Task<Page<PurgeLogEntry>> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken);
}
