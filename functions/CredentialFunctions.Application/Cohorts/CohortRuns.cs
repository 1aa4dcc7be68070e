using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Cohorts;

/// <summary>
/// Where a cohort run stands, as the status route answers it. The counts are the batches' stored
/// results added up, so they are right however often a batch was retried.
/// </summary>
/// <param name="Done">Rows handled so far, whatever happened to them.</param>
/// <param name="Cancelled">Rows never handled because the run was cancelled (known once it has finished).</param>
/// <param name="Unfinished">Rows of <paramref name="FailedBatches"/>: never handled because their batch kept failing (an outage); a re-run of the cohort handles them.</param>
/// <param name="Failures">Failed rows with their reasons, a page at a time; <paramref name="FailuresContinuationToken"/> reads the next.</param>
public sealed record CohortRunStatus(
    string RunId,
    string ProgramId,
    CohortRunKind Kind,
    string RequestedBy,
    string Source,
    DateTimeOffset RequestedAt,
    int Total,
    int Done,
    int Issued,
    int Renewed,
    int AlreadyHeld,
    int Failed,
    int Cancelled,
    int Unfinished,
    bool Finished,
    DateTimeOffset? CancelRequestedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<int> FailedBatches,
    IReadOnlyList<CohortFailure> Failures,
    string? FailuresContinuationToken);

/// <summary>A cohort run's status, its cancellation, and its end as the orchestration marks it.</summary>
public sealed class CohortRuns(ICohortRunStore store, TimeProvider clock)
{
    private readonly VersionedUpdater<CohortRun> _updater = new(store, "Cohort run");

    public async Task<CohortRunStatus> StatusAsync(string programId, string runId, string? failuresToken, CancellationToken cancellationToken)
        => await StatusOfAsync(await RunAsync(programId, runId, cancellationToken), failuresToken, cancellationToken);

    /// <summary>Batches not yet started do nothing; those running finish. Cancelling a finished or cancelled run changes nothing.</summary>
    public async Task<CohortRunStatus> CancelAsync(string programId, string runId, CancellationToken cancellationToken)
    {
        await RunAsync(programId, runId, cancellationToken);
        var now = clock.GetUtcNow();
        return await StatusOfAsync(await _updater.WriteAsync(runId, run => run.Cancelled(now), cancellationToken), null, cancellationToken);
    }

    /// <summary>
    /// Every batch has ended, so no batch reads the rows again, and each row holds a learner's name,
    /// email and LMS id: they go, before the run is marked finished, so that a finished run holds
    /// none (its status needs only the batches' results). A retry after a crash deletes what is left.
    /// </summary>
    public async Task FinishAsync(CohortRunEnd end, CancellationToken cancellationToken)
    {
        var run = (await store.GetAsync(end.RunId, cancellationToken) ?? throw new NotFoundException("Cohort run", end.RunId)).Value;
        await store.DeleteRowsAsync(run, cancellationToken);
        var now = clock.GetUtcNow();
        await _updater.WriteAsync(end.RunId, r => r.Finished(now, end.FailedBatches), cancellationToken);
    }

    /// <summary>A run is found only under its own program, so one program's managers cannot read another's by guessing ids in its route.</summary>
    private async Task<CohortRun> RunAsync(string programId, string runId, CancellationToken cancellationToken)
        => (await store.GetAsync(runId, cancellationToken))?.Value is { } run && run.ProgramId == programId ? run : throw new NotFoundException("Cohort run", runId);

    private async Task<CohortRunStatus> StatusOfAsync(CohortRun run, string? failuresToken, CancellationToken cancellationToken)
    {
        var counts = await store.CountsAsync(run.RunId, cancellationToken);
        var failures = await store.FailuresAsync(run.RunId, failuresToken, cancellationToken);
        var failedBatches = run.FailedBatches ?? [];
        var unfinished = failedBatches.Sum(b => b < run.Batches ? run.BatchSize : run.Total - (run.Batches - 1) * run.BatchSize);
        var cancelled = run is { FinishedAt: not null, CancelRequestedAt: not null } ? run.Total - counts.Done - unfinished : 0;
        return new CohortRunStatus(run.RunId, run.ProgramId, run.Kind, run.RequestedBy, run.Source, run.RequestedAt, run.Total,
            counts.Done, counts.Issued, counts.Renewed, counts.AlreadyHeld, counts.Failed, cancelled, unfinished,
            run.FinishedAt is not null, run.CancelRequestedAt, run.FinishedAt, failedBatches, failures.Items, failures.ContinuationToken);
    }
}
