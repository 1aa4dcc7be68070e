using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.StatusLists;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// Status lists as {id: "revocation-1", purpose, number, encodedList, allocated}: both bitstrings in
/// the recommendation's encoding (GZIP, base64url, multibase), so a list of 131,072 entries is a few
/// hundred bytes until many credentials are in it, and publishing copies <c>encodedList</c> as it is.
/// </summary>
public sealed class CosmosStatusListStore(CredentialDatabase database) : IStatusListStore
{
    private readonly Container _container = database.Container(CosmosLayout.StatusLists);

    public async Task<Versioned<StatusList>?> GetAsync(string id, CancellationToken cancellationToken)
        => await CosmosDocuments.ReadAsync<StatusListDocument>(_container, id, id, cancellationToken) is { } read
            ? new Versioned<StatusList>(read.Value.ToStatusList(), read.ETag)
            : null;

    public Task<bool> TryCreateAsync(StatusList list, CancellationToken cancellationToken)
        => CosmosDocuments.TryCreateAsync(_container, ToDocument(list), list.Id, cancellationToken);

    public Task<string> ReplaceAsync(StatusList list, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.ReplaceAsync(_container, ToDocument(list), list.Id, list.Id, etag, cancellationToken);

    private static CosmosDocument ToDocument(StatusList list)
        => CosmosDocuments.ToDocument(new StatusListDocument(list.Purpose, list.Number, list.Bits.Encode(), list.Allocated.Encode()), list.Id);

    private sealed record StatusListDocument(StatusPurpose Purpose, int Number, string EncodedList, string Allocated)
    {
        public StatusList ToStatusList() => new(Purpose, Number, Bitstring.Decode(EncodedList), Bitstring.Decode(Allocated));
    }
}

/// <summary>
/// The sweep's cross-partition query of the credentials whose status lists are behind their record.
/// Every credential document carries <see cref="BehindField"/>, written with each write of the record,
/// so the query is one equality on one indexed path. A revoked record written before the field existed
/// has none and is found by its state.
/// </summary>
public sealed class CosmosStatusListRecords(CredentialDatabase database) : IStatusListRecords
{
    public const string BehindField = "statusListsBehind";

    private const string Behind = $"SELECT * FROM c WHERE c.{BehindField} = true OR (NOT IS_DEFINED(c.{BehindField}) AND c.state = 'revoked')";

    private readonly Container _container = database.Container(CosmosLayout.Credentials);

    public async Task<Page<Credential>> BehindAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryStreamIterator(new QueryDefinition(Behind), continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<Credential>([], null);
        return await CosmosDocuments.ReadPageAsync<Credential>(iterator, cancellationToken);
    }

    internal static (string, JsonNode?) ListsBehind(Credential credential) => (BehindField, credential.StatusListsBehind);
}
