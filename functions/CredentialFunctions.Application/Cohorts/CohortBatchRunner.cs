using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;

namespace CredentialFunctions.Application.Cohorts;

/// <summary>
/// Runs one stored batch of a cohort: each row through its run kind's <see cref="ICohortRowHandler"/>,
/// a few at a time, then the batch's result written under its number. A batch whose result is
/// already written (a retry after the write) answers it again; a batch of a run cancelled before it
/// started does nothing.
/// </summary>
public sealed class CohortBatchRunner(ICohortRunStore store, IEnumerable<ICohortRowHandler> handlers)
{
    /// <summary>Rows of one batch handled at once; times <see cref="CohortRunOrchestrator.DefaultParallelism"/> batches, the run's concurrency against the store.</summary>
    public const int RowParallelism = 4;

    public async Task<CohortBatchOutcome> RunAsync(CohortBatch batch, CancellationToken cancellationToken)
    {
        var run = (await store.GetAsync(batch.RunId, cancellationToken) ?? throw new NotFoundException("Cohort run", batch.RunId)).Value;
        if (await store.ResultAsync(batch.RunId, batch.Batch, cancellationToken) is { } earlier) return new CohortBatchOutcome(batch.Batch, earlier.Counts);
        if (run.CancelRequestedAt is not null) return new CohortBatchOutcome(batch.Batch, CohortCounts.None, Cancelled: true);

        var handler = handlers.SingleOrDefault(h => h.Kind == run.Kind)
            ?? throw new InvalidOperationException($"No row handler is registered for cohort runs of kind {run.Kind}.");
        var rows = await store.RowsAsync(batch.RunId, batch.Batch, cancellationToken);
        var outcomes = handler is ICohortBatchHandler whole
            ? await whole.HandleBatchAsync(run, batch.Batch, rows, (row, ct) => HandleAsync(handler, run, row, ct), cancellationToken)
            : await Concurrently.EachAsync(rows, RowParallelism, row => HandleAsync(handler, run, row, cancellationToken), cancellationToken);

        var counts = outcomes.Aggregate(CohortCounts.None, (sum, o) => sum.With(o.Status));
        var failures = rows.Zip(outcomes).Where(r => r.Second.Status == CohortRowStatus.Failed)
            .Select(r => new CohortFailure(r.First.Number, r.First.ExternalId, r.Second.Reason ?? "Failed.")).ToList();
        await store.SaveResultAsync(new CohortBatchResult(batch.RunId, batch.Batch, counts, failures), cancellationToken);
        return new CohortBatchOutcome(batch.Batch, counts);
    }

    /// <summary>A domain refusal is the row's own and is reported with it; anything else is an outage, and the batch is retried.</summary>
    private static async Task<CohortRowOutcome> HandleAsync(ICohortRowHandler handler, CohortRun run, CohortRow row, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.HandleAsync(run, row, cancellationToken);
        }
        catch (ValidationFailedException v)
        {
            return CohortRowOutcome.Failure(string.Join(" ", v.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
        }
        catch (DomainException d)
        {
            return CohortRowOutcome.Failure(d.Message);
        }
    }
}
