namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>A composite index: paths with their order, as Cosmos DB's indexing policy declares them.</summary>
public sealed record CompositeIndex(params (string Path, bool Descending)[] Paths);

/// <summary>
/// One container of the store: its name, partition key and indexing policy. The local store creates
/// containers from this, and a test compares it with the Bicep in infra/ so the two cannot drift.
/// </summary>
public sealed record ContainerLayout(
    string Name,
    string PartitionKeyPath,
    IReadOnlyList<string> ExcludedPaths,
    IReadOnlyList<CompositeIndex> CompositeIndexes)
{
    /// <summary>Every path but the excluded ones; in a container that excludes the root, only those a query filters on.</summary>
    public IReadOnlyList<string> IncludedPaths { get; init; } = ExcludedPaths.Contains("/*") ? [] : ["/*"];
}

/// <summary>The database's containers and why each is keyed the way it is.</summary>
public static class CosmosLayout
{
    /// <summary>
    /// Programs, keyed by program id: the current version is a point read (id = programId), each
    /// past version a document of its own (id = programId@version) in the same partition, so a
    /// credential can always read the exact version it was issued under.
    /// </summary>
    public static readonly ContainerLayout Programs = new(
        "programs", "/programId", [], []);

    /// <summary>
    /// Credentials, keyed by certificate id (id = pk): verification is one point read. The audit
    /// chain travels inside the document, so a state change and its audit entry are one
    /// ETag-guarded write. Learner history and reports are indexed queries (composites below).
    /// Each search sort key orders by (key, id): one composite index each way, since the local
    /// server serves an ORDER BY only from an index of exactly its directions (Azure would serve
    /// the reverse from either).
    /// </summary>
    public static readonly ContainerLayout Credentials = new(
        "credentials", "/id",
        ["/auditTrail/*", "/deliveries/*", "/outbox/*"],
        [
            new CompositeIndex(("/holder/learnerId", false), ("/issuedAt", true)),
            new CompositeIndex(("/program/programId", false), ("/expiresAt", false)),
            .. CosmosCredentialSearch.SortPaths.Values.SelectMany(path => new[]
            {
                new CompositeIndex((path, false), ("/id", false)),
                new CompositeIndex((path, true), ("/id", true)),
            }),
        ]);

    /// <summary>
    /// Webhook receipts (LMS completions and later others), keyed by their idempotency key
    /// (id = pk = source:eventId): a duplicate delivery is a 409 on create and a point read after.
    /// Only the certificate id a completion receipt names is indexed: the retention purge finds a
    /// credential's receipts by it.
    /// </summary>
    public static readonly ContainerLayout Receipts = new(
        "receipts", "/id", ["/*"], []) { IncludedPaths = [CosmosReceiptStore.CertificateIdPath + "/?"] };

    /// <summary>
    /// Holdings, one per learner and program (id = pk = a hash of both): creating or ETag-replacing
    /// this one document is what lets exactly one pass issue or renew (a first credential's create,
    /// under its id made from the learner and the program's key, kept here too, is the other). Not in receipts, which are
    /// point reads with nothing indexed: the reconciliation queries holdings by "pending since", and
    /// only that small top-level field and the names are indexed, not the pending completion.
    /// </summary>
    public static readonly ContainerLayout Holdings = new(
        "holdings", "/id", ["/pending/*"], []);

    /// <summary>
    /// Learners, keyed by learner id (id = pk): who supervises them, read with one point read when a
    /// supervisor signs off. The history of assignments is kept for the auditor, never queried.
    /// </summary>
    public static readonly ContainerLayout Learners = new(
        "learners", "/id", ["/history/*"], []);

    /// <summary>
    /// Bitstring status lists, one document per purpose and list number (id = pk = "revocation-1"):
    /// allocating an index and setting a bit are point reads and ETag-guarded replaces of that one
    /// document, and publishing it is a point read. Never queried, so nothing is indexed.
    /// </summary>
    public static readonly ContainerLayout StatusLists = new(
        "statuslists", "/id", ["/*"], []);

    /// <summary>
    /// Applications, keyed by application id (id = pk): every transition is one ETag-guarded write of
    /// the document, its history and outbox (payment events, emails) inside it. Candidates list their
    /// own and reviewers list by program and status, newest first (composites below); the history,
    /// outbox, documents and attempts ride along and are never queried.
    /// </summary>
    public static readonly ContainerLayout Applications = new(
        "applications", "/id",
        ["/history/*", "/outbox/*", "/documents/*", "/attempts/*"],
        [
            new CompositeIndex(("/candidate/subject", false), ("/submittedAt", true)),
            new CompositeIndex(("/programId", false), ("/status", false), ("/submittedAt", true)),
            new CompositeIndex(("/status", false), ("/submittedAt", true)),
        ]);


    /// <summary>
    /// The access log: who read which record, search, export or report, and when. Append-only (the
    /// store only ever creates), keyed by the reader, so "what did this auditor look at" (their
    /// supervisor's question) is a single-partition query ordered by time.
    /// </summary>
    public static readonly ContainerLayout AccessLog = new(
        "accessLog", "/callerId", [], []);

    /// <summary>
    /// Cohort runs (bulk issuance, import), keyed by run id: the run (id = runId), its rows in
    /// numbered batches and each batch's result, all in the run's partition, so the status route's
    /// sum of the results and its page of failures are single-partition queries. The rows and the
    /// failures ride along and are never queried; the rows are deleted when the run finishes. A bulk
    /// issuance batch's ledger (<c>{runId}:ledger:{batch}</c>) is here while the batch runs; the daily
    /// issuance reconciliation's query finds one a crash left open, across runs.
    /// </summary>
    public static readonly ContainerLayout CohortRuns = new(
        "cohortRuns", "/runId", ["/rows/*", "/failures/*"], []);

    /// <summary>
    /// Legal holds, one record per learner or program (id = pk = a hash of "learner:{id}" or
    /// "program:{id}", as ids may hold characters a Cosmos id cannot): the retention sweep point-reads
    /// the two that could stop a purge; the standing ones are listed by an indexed query.
    /// </summary>
    public static readonly ContainerLayout LegalHolds = new(
        "legalHolds", "/id", ["/history/*"], []);

    /// <summary>
    /// The purge log, one entry per purged credential (id = pk = certificate id): only ever created,
    /// and in Azure the app's identity may do nothing else to it (a custom data-plane role without
    /// replace, upsert or delete; infra/modules/cosmos.bicep). Verification point-reads it when a
    /// record is missing; auditors list it latest first (the composite below).
    /// </summary>
    public static readonly ContainerLayout PurgeLog = new(
        "purgeLog", "/id", [],
        [new CompositeIndex(("/purgedAt", true), ("/id", true))]);

    /// <summary>
    /// Which program each xAPI activity IRI completes (id = pk = a hash of the IRI, which may be longer
    /// than an id or hold '/', '#', '?'): a statement finds its program with one point read, and a
    /// program takes an IRI only by creating this document or replacing it with its ETag, so two
    /// programs never both hold one. Never queried, so nothing is indexed.
    /// </summary>
    public static readonly ContainerLayout ActivityClaims = new(
        "activities", "/id", ["/*"], []);

    /// <summary>
    /// The learner directory: people as HR provisions them over SCIM, keyed by the SCIM User's id
    /// (id = pk), so every read and write of a User is a point operation. A provisioning client finds
    /// a person by userName or externalId before creating them: those two are indexed, the User
    /// resource itself rides along unindexed.
    /// </summary>
    public static readonly ContainerLayout Directory = new(
        "directory", "/id", ["/resource/*"], []);

    /// <summary>
    /// The compliance reports' maintained counts, one per completion day (id = pk = the day,
    /// yyyy-MM-dd): a report queries the days of its range and sums them; the groups (each group's
    /// standing → count) are read, never queried.
    /// </summary>
    public static readonly ContainerLayout ComplianceTallies = new(
        "complianceTallies", "/id", ["/groups/*"], []);

    public static IReadOnlyList<ContainerLayout> All { get; } = [Programs, Credentials, Receipts, Holdings, Learners, StatusLists, Applications, AccessLog, CohortRuns, LegalHolds, PurgeLog, ActivityClaims, Directory, ComplianceTallies];
}
