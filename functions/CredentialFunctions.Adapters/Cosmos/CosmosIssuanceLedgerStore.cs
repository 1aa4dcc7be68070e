using CredentialFunctions.Application;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// A batch's ledger in its run's partition of cohortRuns, as {id: "{runId}:ledger:{batch}", type:
/// "ledger", openedMs, …}: openedMs (Unix milliseconds) is what the daily reconciliation's query filters on, across
/// runs. Open ledgers are few (one per running batch, and those a crash left), so that query stays small.
/// </summary>
public sealed class CosmosIssuanceLedgerStore(CredentialDatabase database) : IIssuanceLedgerStore
{
    private const string OpenedBefore = "SELECT * FROM c WHERE c.type = 'ledger' AND c.openedMs < @before";

    private readonly Container _container = database.Container(CosmosLayout.CohortRuns);

    public async Task<(IssuanceLedger Ledger, bool Opened)> OpenAsync(IssuanceLedger ledger, CancellationToken cancellationToken)
    {
        var document = CosmosDocuments.ToDocument(ledger, Id(ledger.RunId, ledger.Batch), ("type", "ledger"), ("openedMs", ledger.OpenedAt.ToUnixTimeMilliseconds()));
        if (await CosmosDocuments.TryCreateAsync(_container, document, ledger.RunId, cancellationToken)) return (ledger, true);
        return (await GetAsync(ledger.RunId, ledger.Batch, cancellationToken)
            ?? throw new InvalidOperationException($"Ledger {Id(ledger.RunId, ledger.Batch)} conflicted but cannot be read."), false);
    }

    public async Task<IssuanceLedger?> GetAsync(string runId, int batch, CancellationToken cancellationToken)
        => (await CosmosDocuments.ReadAsync<IssuanceLedger>(_container, Id(runId, batch), runId, cancellationToken))?.Value;

    public Task CloseAsync(string runId, int batch, CancellationToken cancellationToken)
        => CosmosDocuments.DeleteAsync(_container, Id(runId, batch), runId, etag: null, cancellationToken);

    public async Task<Page<IssuanceLedger>> OpenedBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(OpenedBefore).WithParameter("@before", before.ToUnixTimeMilliseconds());
        using var iterator = _container.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<IssuanceLedger>([], null);
        return await CosmosDocuments.ReadPageAsync<IssuanceLedger>(iterator, cancellationToken);
    }

    private static string Id(string runId, int batch) => $"{runId}:ledger:{batch}";
}
