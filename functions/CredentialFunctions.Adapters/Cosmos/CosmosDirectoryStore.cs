using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Hr;
using CredentialFunctions.Application.Ports;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>The learner directory: one document per SCIM User (id = pk = the User's id), found by userName or externalId with an indexed query.</summary>
public sealed class CosmosDirectoryStore(CredentialDatabase database) : IDirectoryStore
{
    private readonly Container _container = database.Container(CosmosLayout.Directory);

    public async Task<Versioned<DirectoryUser>?> GetAsync(string id, CancellationToken cancellationToken)
        => await CosmosDocuments.ReadAsync<DirectoryUser>(_container, id, id, cancellationToken) is { } read ? new Versioned<DirectoryUser>(read.Value, read.ETag) : null;

    public async Task<string?> TryCreateAsync(DirectoryUser user, CancellationToken cancellationToken)
        => await CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(user, user.Id), user.Id, cancellationToken)
            ? (await GetAsync(user.Id, cancellationToken))!.ETag
            : null;

    public Task<string> ReplaceAsync(DirectoryUser user, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.ReplaceAsync(_container, CosmosDocuments.ToDocument(user, user.Id), user.Id, user.Id, etag, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
        => CosmosDocuments.DeleteAsync(_container, id, id, etag: null, cancellationToken);

    public async Task<(int Total, IReadOnlyList<Versioned<DirectoryUser>> Users)> ListAsync(ScimFilter? filter, int offset, int count, CancellationToken cancellationToken)
    {
        var where = filter?.Attribute switch
        {
            null => "",
            ScimFilterAttribute.UserName => " WHERE c.userNameKey = @value",
            ScimFilterAttribute.ExternalId => " WHERE c.externalId = @value",
            _ => " WHERE c.id = @value",
        };
        QueryDefinition Query(string sql) => filter is null ? new QueryDefinition(sql) : new QueryDefinition(sql).WithParameter("@value", filter.Value);

        var total = 0;
        using (var counting = _container.GetItemQueryIterator<int>(Query("SELECT VALUE COUNT(1) FROM c" + where)))
            while (counting.HasMoreResults) total += (await counting.ReadNextAsync(cancellationToken)).Sum();
        if (count == 0 || offset >= total) return (total, []);

        var users = new List<Versioned<DirectoryUser>>();
        var page = Query($"SELECT * FROM c{where} ORDER BY c.id OFFSET @offset LIMIT @limit").WithParameter("@offset", offset).WithParameter("@limit", count);
        using var iterator = _container.GetItemQueryStreamIterator(page);
        while (iterator.HasMoreResults)
            foreach (var document in await CosmosDocuments.ReadWholePageAsync<JsonElement>(iterator, _container, cancellationToken))
                users.Add(new Versioned<DirectoryUser>(document.Deserialize<DirectoryUser>(CredentialJson.Options)!, document.GetProperty("_etag").GetString()!));
        return (total, users);
    }
}
