using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Ports;

/// <summary>A stored value with the ETag that guards the next write to it.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>
/// Programs: each version is an immutable document, so "create version n" failing with a conflict
/// is the optimistic-concurrency check for revisions.
/// </summary>
public interface IProgramStore
{
    /// <summary>Writes a new version; throws <see cref="Domain.ConcurrencyConflictException"/> when that version already exists.</summary>
    Task AddVersionAsync(CertificationProgram program, CancellationToken cancellationToken);

    Task<CertificationProgram?> GetCurrentAsync(string programId, CancellationToken cancellationToken);

    Task<CertificationProgram?> GetVersionAsync(string programId, int version, CancellationToken cancellationToken);
}

/// <summary>Credentials by certificate id: point reads and ETag-guarded writes of the whole record (audit chain included).</summary>
public interface ICredentialStore
{
    Task<Versioned<Credential>?> GetAsync(string certificateId, CancellationToken cancellationToken);

    /// <summary>Returns false when a credential with that id already exists.</summary>
    Task<bool> TryCreateAsync(Credential credential, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Domain.ConcurrencyConflictException"/> when the ETag is stale; returns the new ETag.</summary>
    Task<string> ReplaceAsync(Credential credential, string etag, CancellationToken cancellationToken);

    /// <summary>Every credential a learner holds under a program, in any state (a query across partitions, by holder).</summary>
    Task<IReadOnlyList<Credential>> FindHeldAsync(string learnerId, string programId, CancellationToken cancellationToken);
}

/// <summary>One page of a query, and the token that reads the next (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken)
{
    /// <summary>Documents of this page that did not read as <typeparamref name="T"/>, reported beside the others rather than failing the page.</summary>
    public IReadOnlyList<UnreadableDocument> Unreadable { get; init; } = [];
}

/// <summary>A stored document that does not read as the type asked for (corrupt, edited by hand, written by an incompatible version): its id, and why.</summary>
public sealed record UnreadableDocument(string Id, string Reason);

/// <summary>Credentials by what the renewal window needs to know, page by page.</summary>
public interface IRenewalWindowRecords
{
    /// <summary>
    /// Credentials whose renewal window still has a step to take (<see cref="Domain.Renewal.RenewalWindow.EndsAt"/>)
    /// and ends at or after <paramref name="endingSince"/>; a document that does not read comes back in
    /// <see cref="Page{T}.Unreadable"/>. Pass the same <paramref name="endingSince"/> with every page of one sweep.
    /// </summary>
    Task<Page<Credential>> WithOpenWindowsAsync(DateTimeOffset endingSince, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}

/// <summary>
/// Receipts of webhook deliveries keyed by idempotency key: the first writer wins, and later
/// deliveries of the same event read the receipt and answer the same result.
/// </summary>
public interface IReceiptStore
{
    /// <summary>Returns false when a receipt with that key already exists.</summary>
    Task<bool> TryCreateAsync<T>(string key, T receipt, CancellationToken cancellationToken);

    Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken) where T : class;
}

/// <summary>Random ids from one injectable source, so tests are deterministic.</summary>
public interface IIdSource
{
    CertificateId NewCertificateId();

    /// <summary>A short random id with a prefix, e.g. "prg-7QXM2K9DRH".</summary>
    string NewId(string prefix);
}
