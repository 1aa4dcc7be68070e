using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Cohorts;

/// <summary>What a cohort run does to each of its rows; each kind has one <see cref="ICohortRowHandler"/>.</summary>
public enum CohortRunKind
{
    /// <summary>Bulk issuance: each learner's completion goes through the issuance path, as an LMS pass would.</summary>
    Issuance,

    /// <summary>Import of existing records: each row's credential, issued in the past, is brought over as it stands (<see cref="Imports.CohortImport"/>).</summary>
    Import,
}

/// <summary>
/// One learner of a cohort as the program manager sends it. <paramref name="Number"/> is the row's
/// place in the upload, from 1 (the CSV's data rows, the JSON array's items), as problems and
/// failures name it.
/// </summary>
/// <param name="Import">For an import run: the row's whole record and its file.</param>
public sealed record CohortRow(
    int Number,
    string ExternalId,
    string FullLegalName,
    string Email,
    DateTimeOffset CompletedAt,
    decimal Score,
    string? Team = null,
    string? Cohort = null,
    string? JobSite = null,
    Imports.CohortRowImport? Import = null);

/// <summary>
/// A cohort run: who asked for what, of which program, how many rows in how many stored batches,
/// and whether it was cancelled or has finished. The rows themselves are stored beside it in
/// batches of <see cref="BatchSize"/>, never in the orchestration's input.
/// </summary>
/// <param name="Source">Where the rows came from, for the audit trail: the uploaded file's name, or "JSON body".</param>
public sealed record CohortRun(
    string RunId,
    string ProgramId,
    CohortRunKind Kind,
    string RequestedBy,
    string Source,
    DateTimeOffset RequestedAt,
    int Total,
    int BatchSize,
    DateTimeOffset? CancelRequestedAt = null,
    DateTimeOffset? FinishedAt = null,
    IReadOnlyList<int>? FailedBatches = null)
{
    public int Batches => (Total + BatchSize - 1) / BatchSize;

    public CohortRun? Cancelled(DateTimeOffset at) => CancelRequestedAt is not null || FinishedAt is not null ? null : this with { CancelRequestedAt = at };

    public CohortRun? Finished(DateTimeOffset at, IReadOnlyList<int> failedBatches) => FinishedAt is not null ? null : this with { FinishedAt = at, FailedBatches = failedBatches };
}

/// <summary>What happened to one row.</summary>
public enum CohortRowStatus
{
    /// <summary>A new credential.</summary>
    Issued,
    /// <summary>The learner's credential was open for renewal, and the completion renewed it (the retake-exam pathway).</summary>
    Renewed,
    /// <summary>The learner already holds the program's credential (a re-run, or an LMS pass first): nothing changed.</summary>
    AlreadyHeld,
    /// <summary>Nothing changed for this learner; <see cref="CohortRowOutcome.Reason"/> says why.</summary>
    Failed,
}

public sealed record CohortRowOutcome(CohortRowStatus Status, string? CertificateId = null, string? Reason = null)
{
    public static CohortRowOutcome Failure(string reason) => new(CohortRowStatus.Failed, Reason: reason);
}

/// <summary>A row that failed, and why.</summary>
public sealed record CohortFailure(int Row, string ExternalId, string Reason);

/// <summary>The rows a run (or one of its batches) has done, by what happened to them.</summary>
public sealed record CohortCounts(int Issued = 0, int Renewed = 0, int AlreadyHeld = 0, int Failed = 0)
{
    public static readonly CohortCounts None = new();

    public int Done => Issued + Renewed + AlreadyHeld + Failed;

    public static CohortCounts operator +(CohortCounts a, CohortCounts b)
        => new(a.Issued + b.Issued, a.Renewed + b.Renewed, a.AlreadyHeld + b.AlreadyHeld, a.Failed + b.Failed);

    public CohortCounts With(CohortRowStatus status) => status switch
    {
        CohortRowStatus.Issued => this with { Issued = Issued + 1 },
        CohortRowStatus.Renewed => this with { Renewed = Renewed + 1 },
        CohortRowStatus.AlreadyHeld => this with { AlreadyHeld = AlreadyHeld + 1 },
        _ => this with { Failed = Failed + 1 },
    };
}

/// <summary>
/// What one batch did, stored under its number: a retried batch writes the same result over it,
/// so the counts a status read adds up never count a row twice.
/// </summary>
public sealed record CohortBatchResult(string RunId, int Batch, CohortCounts Counts, IReadOnlyList<CohortFailure> Failures);

/// <summary>
/// The work a run of one kind does per row. Idempotent: a batch is retried whole after a crash, so
/// a row may be handled again and must then change nothing new and answer what it did.
/// </summary>
public interface ICohortRowHandler
{
    CohortRunKind Kind { get; }

    /// <summary>The row with its text normalised, checked before the run is stored; throws <see cref="ValidationFailedException"/> with every broken rule, by field.</summary>
    CohortRow Validated(CohortRun run, CohortRow row, DateTimeOffset now);

    /// <summary>
    /// Does the row's work. A refusal that is the row's own (a domain rule) comes back as
    /// <see cref="CohortRowStatus.Failed"/> with its reason; an outage throws, and the batch is retried.
    /// </summary>
    Task<CohortRowOutcome> HandleAsync(CohortRun run, CohortRow row, CancellationToken cancellationToken);
}

/// <summary>
/// A row handler that does a whole batch at once, for work one row at a time cannot share (one
/// write for a batch's tallies and events instead of one per row). The same promise per row: a
/// retried batch changes nothing new and answers what it did.
/// </summary>
public interface ICohortBatchHandler : ICohortRowHandler
{
    /// <param name="eachRow">The row path (<see cref="ICohortRowHandler.HandleAsync"/> with its refusals turned into failures), for rows the batch leaves to it.</param>
    /// <returns>Each row's outcome, in the rows' order.</returns>
    Task<IReadOnlyList<CohortRowOutcome>> HandleBatchAsync(CohortRun run, int batch, IReadOnlyList<CohortRow> rows,
        Func<CohortRow, CancellationToken, Task<CohortRowOutcome>> eachRow, CancellationToken cancellationToken);
}
