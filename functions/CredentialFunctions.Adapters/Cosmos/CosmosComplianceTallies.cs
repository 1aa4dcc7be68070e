using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// The compliance tallies: each document is the tally as the domain writes it (its key's dimension,
/// group and month, and its entries) under an id hashed from the key, since a group is any text a
/// caller sent and Cosmos ids may not hold '/', '\', '?' or '#'.
/// </summary>
public sealed class CosmosComplianceTallies(CredentialDatabase database) : IComplianceTallies
{
    private const string OfDimension =
        "SELECT * FROM c WHERE c.key.dimension = @dimension AND (IS_NULL(@fromMonth) OR c.key.month >= @fromMonth) AND (IS_NULL(@toMonth) OR c.key.month <= @toMonth)";

    private readonly Container _container = database.Container(CosmosLayout.ComplianceTallies);

    public async Task<Versioned<ComplianceTally>?> GetAsync(string id, CancellationToken cancellationToken)
        => await CosmosDocuments.ReadAsync<ComplianceTally>(_container, DocumentId(id), DocumentId(id), cancellationToken) is { } read
            ? new Versioned<ComplianceTally>(read.Value, read.ETag)
            : null;

    public Task<bool> TryCreateAsync(ComplianceTally tally, CancellationToken cancellationToken)
        => CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(tally, DocumentId(tally.Key.Id)), DocumentId(tally.Key.Id), cancellationToken);

    public Task<string> ReplaceAsync(ComplianceTally tally, string etag, CancellationToken cancellationToken)
    {
        var id = DocumentId(tally.Key.Id);
        return CosmosDocuments.ReplaceAsync(_container, CosmosDocuments.ToDocument(tally, id), id, id, etag, cancellationToken);
    }

    public async Task<IReadOnlyList<Versioned<ComplianceTally>>> OfDimensionAsync(ReportDimension dimension, string? fromMonth, string? toMonth, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(OfDimension)
            .WithParameter("@dimension", JsonNamingPolicy.CamelCase.ConvertName(dimension.ToString()))
            .WithParameter("@fromMonth", fromMonth)
            .WithParameter("@toMonth", toMonth);
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { MaxItemCount = 1000 });
        var tallies = new List<Versioned<ComplianceTally>>();
        while (iterator.HasMoreResults)
            tallies.AddRange(await CosmosDocuments.ReadWholeVersionedPageAsync<ComplianceTally>(iterator, _container, cancellationToken));
        return tallies;
    }

    private static string DocumentId(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..40];
}

/// <summary>Every credential, page by page, for the compliance recount: one cross-partition read with no filter.</summary>
public sealed class CosmosCredentialCatalog(CredentialDatabase database) : ICredentialCatalog
{
    private readonly Container _container = database.Container(CosmosLayout.Credentials);

    public async Task<Page<Credential>> AllAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryStreamIterator(new QueryDefinition("SELECT * FROM c"), continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<Credential>([], null);
        return await CosmosDocuments.ReadPageAsync<Credential>(iterator, cancellationToken);
    }
}
