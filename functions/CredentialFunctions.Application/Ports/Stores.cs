using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Learners;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.StatusLists;

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

/// <summary>
/// A write the store refuses before sending it: the document would come too close to the store's
/// item limit (Cosmos DB's 2 MB), past which no write to the record would succeed again.
/// </summary>
public sealed class RecordTooLargeException(string id, long bytes, long limit)
    : Domain.DomainException($"Record {id} would be {bytes:N0} bytes, over the {limit:N0} a record may hold; nothing was written.")
{
    public string Id { get; } = id;
}

/// <summary>Records by id: point reads and whole-document writes guarded by the ETag read with them.</summary>
public interface IVersionedStore<T>
{
    Task<Versioned<T>?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Domain.ConcurrencyConflictException"/> when the ETag is stale; returns the new ETag.</summary>
    Task<string> ReplaceAsync(T value, string etag, CancellationToken cancellationToken);

    /// <summary>
    /// The same replace, by a caller that holds the version it replaces (read with the ETag): a store
    /// that keeps something beside the record (the compliance tallies) needs not read it again.
    /// </summary>
    Task<string> ReplaceAsync(T value, Versioned<T> replaced, CancellationToken cancellationToken) => ReplaceAsync(value, replaced.ETag, cancellationToken);
}

/// <summary>Credentials by certificate id: point reads and ETag-guarded writes of the whole record (audit chain included).</summary>
public interface ICredentialStore : IVersionedStore<Credential>
{
    /// <summary>The new credential's ETag, for a caller that changes it next without reading it; null when a credential with that id already exists.</summary>
    Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken);

    /// <summary>
    /// Creates each credential unless one with its id exists, <see cref="Concurrently.BatchCalls"/>
    /// at a time: each one's ETag, or null where it existed, in their order. One call for a batch,
    /// so what a store keeps beside each credential (the compliance tallies) can be written once for
    /// all of them.
    /// </summary>
    Task<IReadOnlyList<string?>> CreateAllIfAbsentAsync(IReadOnlyList<Credential> credentials, CancellationToken cancellationToken)
        => Concurrently.EachAsync(credentials, Concurrently.BatchCalls, c => CreateIfAbsentAsync(c, cancellationToken), cancellationToken);

    /// <summary>
    /// Removes the record: the one way a credential leaves the store (the retention purge, both modes).
    /// Throws <see cref="Domain.ConcurrencyConflictException"/> when the ETag is stale; false when it is already gone.
    /// </summary>
    Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken);
}

public static class CredentialStores
{
    /// <summary>Returns false when a credential with that id already exists.</summary>
    public static async Task<bool> TryCreateAsync(this ICredentialStore store, Credential credential, CancellationToken cancellationToken)
        => await store.CreateIfAbsentAsync(credential, cancellationToken) is not null;
}

public static class HoldingStores
{
    /// <summary>Returns false when the learner already has a holding of the program.</summary>
    public static async Task<bool> TryCreateAsync(this IHoldingStore store, Holding holding, CancellationToken cancellationToken)
        => await store.CreateIfAbsentAsync(holding, cancellationToken) is not null;

    /// <summary>Returns false when the ETag is stale: someone else changed the holding first.</summary>
    public static async Task<bool> TryReplaceAsync(this IHoldingStore store, Holding holding, string etag, CancellationToken cancellationToken)
        => await store.ReplaceIfCurrentAsync(holding, etag, cancellationToken) is not null;
}

/// <summary>Who supervises each learner, one document per learner: a point read by learner id, ETag-guarded writes.</summary>
public interface ISupervisionStore
{
    Task<Versioned<LearnerSupervisors>?> GetAsync(string learnerId, CancellationToken cancellationToken);

    /// <summary>Returns false when the learner's document already exists.</summary>
    Task<bool> TryCreateAsync(LearnerSupervisors supervisors, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Domain.ConcurrencyConflictException"/> when the ETag is stale.</summary>
    Task ReplaceAsync(LearnerSupervisors supervisors, string etag, CancellationToken cancellationToken);
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
/// deliveries of the same event read the receipt and answer the same result. Once written, a
/// receipt changes only when the retention purge strips or deletes it with its credential.
/// </summary>
public interface IReceiptStore
{
    /// <summary>Returns false when a receipt with that key already exists.</summary>
    Task<bool> TryCreateAsync<T>(string key, T receipt, CancellationToken cancellationToken);

    Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken) where T : class;

    /// <summary>The completion receipts that name the credential (it issued, renewed or held it), by an indexed query, with their ETags.</summary>
    Task<IReadOnlyList<Versioned<CompletionReceipt>>> CompletionsNamingAsync(string certificateId, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Domain.ConcurrencyConflictException"/> when the ETag is stale.</summary>
    Task ReplaceAsync<T>(string key, T receipt, string etag, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="Domain.ConcurrencyConflictException"/> when the ETag is stale; false when it is already gone.</summary>
    Task<bool> DeleteAsync(string key, string etag, CancellationToken cancellationToken);
}

/// <summary>Holdings by learner and program: the atomic claims that keep one credential of a program open per learner.</summary>
public interface IHoldingStore
{
    Task<Versioned<Holding>?> GetAsync(string learnerId, string programId, CancellationToken cancellationToken);

    /// <summary>The new holding's ETag, for a caller that changes it next without reading it; null when the learner already has a holding of the program.</summary>
    Task<string?> CreateIfAbsentAsync(Holding holding, CancellationToken cancellationToken);

    /// <summary>The new ETag; null when the ETag is stale: someone else changed the holding first.</summary>
    Task<string?> ReplaceIfCurrentAsync(Holding holding, string etag, CancellationToken cancellationToken);

    /// <summary>Returns false when the ETag is stale or the holding is already gone.</summary>
    Task<bool> TryDeleteAsync(Holding holding, string etag, CancellationToken cancellationToken);

    /// <summary>Holdings with a pass or a reinstatement pending since before an instant, page by page (an indexed query of pending holdings only).</summary>
    Task<Page<Holding>> PendingDecidedBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// The program's secret key for its learners' first credential ids (<see cref="Domain.Credentials.CertificateId.FirstOf"/>):
    /// made at its first use, at random, and never changed, as every first credential of the program is named by it.
    /// </summary>
    Task<byte[]> FirstCredentialKeyAsync(string programId, CancellationToken cancellationToken);

    /// <summary>As <see cref="FirstCredentialKeyAsync"/>, read and not made: null for a program that has never needed one.</summary>
    Task<byte[]?> FindFirstCredentialKeyAsync(string programId, CancellationToken cancellationToken);
}

/// <summary>Random ids from one injectable source, so tests are deterministic.</summary>
public interface IIdSource
{
    CertificateId NewCertificateId();

    /// <summary>A short random id with a prefix, e.g. "prg-7QXM2K9DRH".</summary>
    string NewId(string prefix);
}

/// <summary>Records of one kind (credentials, applications) whose outbox holds an integration event not yet sent, for the event repair.</summary>
public interface IUnsentEvents<T>
{
    /// <summary>Ids of records with an event made before <paramref name="before"/> and not yet sent, page by page: an indexed query of those alone.</summary>
    Task<Page<string>> WithEventsUnsentBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}

/// <summary>Bitstring status lists by id (<see cref="StatusList.Id"/>): point reads, the first creation of a list wins, ETag-guarded replaces.</summary>
public interface IStatusListStore : IVersionedStore<StatusList>
{
    /// <summary>Returns false when that list already exists.</summary>
    Task<bool> TryCreateAsync(StatusList list, CancellationToken cancellationToken);
}

/// <summary>Credentials whose status lists do not yet say what their record says (<see cref="Credential.StatusListsBehind"/>), page by page.</summary>
public interface IStatusListRecords
{
    Task<Page<Credential>> BehindAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken);
}

/// <summary>Uniform random numbers from one injectable source, so tests are deterministic.</summary>
public interface IRandomSource
{
    /// <returns>A number from 0 to <paramref name="maxExclusive"/> − 1, each as likely.</returns>
    int Next(int maxExclusive);
}

/// <summary>Applications by id (point reads, ETag-guarded writes of the whole record, history and outbox included) and the two lists people follow them by.</summary>
public interface IApplicationStore : IVersionedStore<CertificationApplication>
{
    /// <summary>Returns false when an application with that id already exists.</summary>
    Task<bool> TryCreateAsync(CertificationApplication application, CancellationToken cancellationToken);

    /// <summary>The candidate's own applications, newest first.</summary>
    Task<Page<CertificationApplication>> ByCandidateAsync(string candidateSubject, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Applications for reviewers, newest first, of one program and/or in one status when given.</summary>
    Task<Page<CertificationApplication>> ForReviewAsync(string? programId, ApplicationStatus? status, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>The application a provider's payment (its payment intent) was for; null when none records it.</summary>
    Task<CertificationApplication?> ByProviderPaymentIdAsync(string providerPaymentId, CancellationToken cancellationToken);

    /// <summary>Applications with a payment record that occurred in [from, to) among others (the caller picks the records out).</summary>
    Task<Page<CertificationApplication>> WithPaymentsBetweenAsync(DateTimeOffset from, DateTimeOffset to, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}

/// <summary>Credentials by what a search asks, page by page in its order, each status judged at the instant given (the same for every page of one search).</summary>
public interface ICredentialSearch
{
    /// <summary>A <paramref name="continuationToken"/> the store did not give for this query is a <see cref="Domain.ValidationFailedException"/>.</summary>
    Task<Page<Credential>> SearchAsync(Search.CredentialQuery query, DateTimeOffset at, string? continuationToken, CancellationToken cancellationToken);
}

/// <summary>
/// Cohort runs (bulk issuance, import): the run by id with ETag-guarded writes (cancel, finish), its
/// rows stored in numbered batches before it, and each batch's result stored under its number.
/// </summary>
public interface ICohortRunStore : IVersionedStore<Cohorts.CohortRun>
{
    /// <summary>Stores the rows batch by batch and then the run, so a run that can be read has all its rows (until it finishes).</summary>
    Task CreateAsync(Cohorts.CohortRun run, IReadOnlyList<Cohorts.CohortRow> rows, CancellationToken cancellationToken);

    /// <summary>The rows of batch <paramref name="batch"/> (from 1), in their order.</summary>
    Task<IReadOnlyList<Cohorts.CohortRow>> RowsAsync(string runId, int batch, CancellationToken cancellationToken);

    /// <summary>Deletes the rows of every batch of the run; a batch whose rows are already gone is passed over.</summary>
    Task DeleteRowsAsync(Cohorts.CohortRun run, CancellationToken cancellationToken);

    /// <summary>Writes a batch's result over any earlier one of the same batch.</summary>
    Task SaveResultAsync(Cohorts.CohortBatchResult result, CancellationToken cancellationToken);

    Task<Cohorts.CohortBatchResult?> ResultAsync(string runId, int batch, CancellationToken cancellationToken);

    /// <summary>The counts of every batch with a result so far, added up.</summary>
    Task<Cohorts.CohortCounts> CountsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Failed rows in row order, a few batches' worth per page; a token the store did not give for this run is a <see cref="Domain.ValidationFailedException"/>.</summary>
    Task<Page<Cohorts.CohortFailure>> FailuresAsync(string runId, string? continuationToken, CancellationToken cancellationToken);
}

/// <summary>The open ledgers of bulk issuance batches (<see cref="Issuance.IssuanceLedger"/>), beside their run.</summary>
public interface IIssuanceLedgerStore
{
    /// <summary>Writes the ledger unless its batch has one open already (an earlier attempt of the batch), and answers the one that stands; Opened is false for an earlier one.</summary>
    Task<(Issuance.IssuanceLedger Ledger, bool Opened)> OpenAsync(Issuance.IssuanceLedger ledger, CancellationToken cancellationToken);

    Task<Issuance.IssuanceLedger?> GetAsync(string runId, int batch, CancellationToken cancellationToken);

    /// <summary>Removes the ledger once all it owes is done; nothing when it is already gone.</summary>
    Task CloseAsync(string runId, int batch, CancellationToken cancellationToken);

    /// <summary>Ledgers opened before an instant and still open, of every run, page by page.</summary>
    Task<Page<Issuance.IssuanceLedger>> OpenedBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken);
}

/// <summary>Which program each xAPI activity IRI completes (<see cref="Programs.ActivityClaim"/>): point reads, the first creation wins, ETag-guarded replaces.</summary>
public interface IActivityClaimStore
{
    Task<Versioned<Programs.ActivityClaim>?> GetAsync(string activityId, CancellationToken cancellationToken);

    /// <summary>Returns false when the activity is already claimed.</summary>
    Task<bool> TryCreateAsync(Programs.ActivityClaim claim, CancellationToken cancellationToken);

    /// <summary>Returns false when the ETag is stale: someone else claimed it first.</summary>
    Task<bool> TryReplaceAsync(Programs.ActivityClaim claim, string etag, CancellationToken cancellationToken);
}

/// <summary>The learner directory: people as HR provisions them over SCIM, by SCIM id (point reads, ETag-guarded writes), by userName or externalId.</summary>
public interface IDirectoryStore : IVersionedStore<Hr.DirectoryUser>
{
    /// <summary>Returns the new user's ETag, or null when a user with that id already exists.</summary>
    Task<string?> TryCreateAsync(Hr.DirectoryUser user, CancellationToken cancellationToken);

    /// <summary>Returns false when the user was already gone.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Users matching the filter (all when null), in a stable order, from the 0-based offset: how many
    /// match in all, and at most <paramref name="count"/> of them with their ETags.
    /// </summary>
    Task<(int Total, IReadOnlyList<Versioned<Hr.DirectoryUser>> Users)> ListAsync(Hr.ScimFilter? filter, int offset, int count, CancellationToken cancellationToken);
}

/// <summary>
/// The maintained compliance counts (<see cref="Domain.Reports.ComplianceTally"/>), one document per
/// completion day, by <see cref="Domain.Reports.ComplianceTally.Day"/>; ETag-guarded like every record.
/// </summary>
public interface IComplianceTallies : IVersionedStore<Domain.Reports.ComplianceTally>
{
    /// <summary>Returns false when the day's tally already exists.</summary>
    Task<bool> TryCreateAsync(Domain.Reports.ComplianceTally tally, CancellationToken cancellationToken);

    /// <summary>The tallies of the days (yyyy-MM-dd) within the range, inclusive, either end open; with their ETags.</summary>
    Task<IReadOnlyList<Versioned<Domain.Reports.ComplianceTally>>> BetweenAsync(string? fromDay, string? toDay, CancellationToken cancellationToken);

    /// <summary>The same tallies' groups of one dimension only, all a report sums: a quarter of each document.</summary>
    Task<IReadOnlyList<TallyGroups>> GroupsBetweenAsync(Domain.Reports.ReportDimension dimension, string? fromDay, string? toDay, CancellationToken cancellationToken);
}

/// <summary>One tally's groups of one dimension (group → standing key → count); none when the tally counts nothing.</summary>
public sealed record TallyGroups(string Day, System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableDictionary<string, int>>? Groups = null);
