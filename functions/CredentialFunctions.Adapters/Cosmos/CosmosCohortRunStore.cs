using System.Globalization;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// A cohort run's documents in its partition (pk = runId), told apart by type: the run (id = runId),
/// its rows ({runId}:rows:{batch}) and each batch's result ({runId}:result:{batch}, with failedCount
/// beside it for the failures query). The failures' continuation token is the batch to read from.
/// </summary>
public sealed class CosmosCohortRunStore(CredentialDatabase database) : ICohortRunStore
{
    /// <summary>Batch results per page of failures: up to this many batches' worth of failed rows.</summary>
    public const int FailureBatchesPerPage = 4;

    private const int WriteParallelism = 8;

    private readonly Container _container = database.Container(CosmosLayout.CohortRuns);

    public async Task CreateAsync(CohortRun run, IReadOnlyList<CohortRow> rows, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(rows.Chunk(run.BatchSize).Select((chunk, i) => (Rows: chunk, Batch: i + 1)),
            new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await CosmosDocuments.TryCreateAsync(_container,
                CosmosDocuments.ToDocument(new RowsDocument(batch.Rows), RowsId(run.RunId, batch.Batch), ("runId", run.RunId), ("type", "rows"), ("batch", batch.Batch)), run.RunId, ct));
        if (!await CosmosDocuments.TryCreateAsync(_container, RunDocument(run), run.RunId, cancellationToken))
            throw new ConcurrencyConflictException($"Cohort run {run.RunId} already exists.");
    }

    public async Task<Versioned<CohortRun>?> GetAsync(string runId, CancellationToken cancellationToken)
        => await CosmosDocuments.ReadAsync<CohortRun>(_container, runId, runId, cancellationToken) is { } read ? new Versioned<CohortRun>(read.Value, read.ETag) : null;

    public Task<string> ReplaceAsync(CohortRun run, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.ReplaceAsync(_container, RunDocument(run), run.RunId, run.RunId, etag, cancellationToken);

    public async Task<IReadOnlyList<CohortRow>> RowsAsync(string runId, int batch, CancellationToken cancellationToken)
        => (await CosmosDocuments.ReadAsync<RowsDocument>(_container, RowsId(runId, batch), runId, cancellationToken))?.Value.Rows
           ?? throw new NotFoundException("Cohort batch", RowsId(runId, batch));

    public Task DeleteRowsAsync(CohortRun run, CancellationToken cancellationToken)
        => Parallel.ForEachAsync(Enumerable.Range(1, run.Batches),
            new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await CosmosDocuments.DeleteAsync(_container, RowsId(run.RunId, batch), run.RunId, etag: null, ct));

    public Task SaveResultAsync(CohortBatchResult result, CancellationToken cancellationToken)
        => CosmosDocuments.UpsertAsync(_container,
            CosmosDocuments.ToDocument(result, ResultId(result.RunId, result.Batch), ("type", "result"), ("failedCount", result.Failures.Count)), result.RunId, cancellationToken);

    public async Task<CohortBatchResult?> ResultAsync(string runId, int batch, CancellationToken cancellationToken)
        => (await CosmosDocuments.ReadAsync<CohortBatchResult>(_container, ResultId(runId, batch), runId, cancellationToken))?.Value;

    public async Task<CohortCounts> CountsAsync(string runId, CancellationToken cancellationToken)
    {
        // Added up here: the local server has no GROUP BY, and a run has at most a few hundred results.
        var query = new QueryDefinition("SELECT c.counts FROM c WHERE c.type = 'result'");
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(runId) });
        var total = CohortCounts.None;
        while (iterator.HasMoreResults)
            total = (await CosmosDocuments.ReadWholePageAsync<CountsOnly>(iterator, _container, cancellationToken)).Aggregate(total, (sum, r) => sum + r.Counts);
        return total;
    }

    public async Task<Page<CohortFailure>> FailuresAsync(string runId, string? continuationToken, CancellationToken cancellationToken)
    {
        var from = 1;
        if (continuationToken is not null && (!int.TryParse(continuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < 1))
            throw ValidationFailedException.For("failures", "This continuation token was not given by this run's status; start without one.");
        var query = new QueryDefinition($"SELECT TOP {FailureBatchesPerPage + 1} c.batch, c.failures FROM c WHERE c.type = 'result' AND c.failedCount > 0 AND c.batch >= @from ORDER BY c.batch")
            .WithParameter("@from", from);
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(runId) });
        var results = new List<FailuresOnly>();
        while (iterator.HasMoreResults && results.Count <= FailureBatchesPerPage)
            results.AddRange(await CosmosDocuments.ReadWholePageAsync<FailuresOnly>(iterator, _container, cancellationToken));
        var page = results.Take(FailureBatchesPerPage).ToList();
        var next = results.Count > FailureBatchesPerPage ? results[FailureBatchesPerPage].Batch.ToString(CultureInfo.InvariantCulture) : null;
        return new Page<CohortFailure>([.. page.SelectMany(r => r.Failures)], next);
    }

    private static CosmosDocument RunDocument(CohortRun run) => CosmosDocuments.ToDocument(run, run.RunId, ("type", "run"));

    private static string RowsId(string runId, int batch) => $"{runId}:rows:{batch}";

    private static string ResultId(string runId, int batch) => $"{runId}:result:{batch}";

    private sealed record RowsDocument(IReadOnlyList<CohortRow> Rows);

    private sealed record CountsOnly(CohortCounts Counts);

    private sealed record FailuresOnly(int Batch, IReadOnlyList<CohortFailure> Failures);
}
