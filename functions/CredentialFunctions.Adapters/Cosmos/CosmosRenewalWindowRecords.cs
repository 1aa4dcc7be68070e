using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// The reconciliation's cross-partition scan of credentials by state, paged with continuation
/// tokens. A plain filter on /state (indexed by the container's "/*" path): no ORDER BY, DISTINCT
/// or GROUP BY, which the local server cannot run and a daily sweep does not need.
/// </summary>
public sealed class CosmosRenewalWindowRecords(CredentialDatabase database) : IRenewalWindowRecords
{
    private static readonly QueryDefinition OpenWindows = new(
        "SELECT * FROM c WHERE (c.state = 'active' OR c.state = 'inGrace' OR c.state = 'lapsed') " +
        "AND IS_DEFINED(c.expiresAt) AND NOT IS_NULL(c.expiresAt) " +
        "AND (NOT IS_DEFINED(c.trackingEndedAt) OR IS_NULL(c.trackingEndedAt))");

    private readonly Container _container = database.Container(CosmosLayout.Credentials);

    public async Task<Page<Credential>> WithOpenWindowsAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryStreamIterator(OpenWindows, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<Credential>([], null);
        var (items, next) = await CosmosDocuments.ReadPageAsync<Credential>(iterator, cancellationToken);
        return new Page<Credential>(items, next);
    }
}
