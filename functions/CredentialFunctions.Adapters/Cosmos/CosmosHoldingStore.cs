using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// Holdings as {id, learnerId, programId, certificateId, pending, reinstating, pendingSince}. The id
/// is a hash because a learner id and a program id together may be longer than Cosmos's 255
/// characters and may hold characters ('/', '#', '?') an id cannot. pendingSince (Unix milliseconds
/// of the pending pass or reinstatement, null when settled) is the one indexed field the
/// reconciliation filters on.
/// </summary>
public sealed class CosmosHoldingStore(CredentialDatabase database) : IHoldingStore
{
    private const string PendingBefore = "SELECT * FROM c WHERE IS_NUMBER(c.pendingSince) AND c.pendingSince < @before";

    private readonly Container _container = database.Container(CosmosLayout.Holdings);

    /// <summary>Length-prefixed, so no pair of ids can hash as another pair.</summary>
    public static string DocumentId(string learnerId, string programId)
        => "holding-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{learnerId.Length}:{learnerId}{programId}")));

    public async Task<Versioned<Holding>?> GetAsync(string learnerId, string programId, CancellationToken cancellationToken)
    {
        var id = DocumentId(learnerId, programId);
        return await CosmosDocuments.ReadAsync<Holding>(_container, id, id, cancellationToken) is { } read
            ? new Versioned<Holding>(read.Value, read.ETag)
            : null;
    }

    public Task<string?> CreateIfAbsentAsync(Holding holding, CancellationToken cancellationToken)
    {
        var (document, id) = ToDocument(holding);
        return CosmosDocuments.CreateIfAbsentAsync(_container, document, id, cancellationToken);
    }

    public async Task<string?> ReplaceIfCurrentAsync(Holding holding, string etag, CancellationToken cancellationToken)
    {
        var (document, id) = ToDocument(holding);
        try
        {
            return await CosmosDocuments.ReplaceAsync(_container, document, id, id, etag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return null;
        }
    }

    public async Task<bool> TryDeleteAsync(Holding holding, string etag, CancellationToken cancellationToken)
    {
        var id = DocumentId(holding.LearnerId, holding.ProgramId);
        try
        {
            return await CosmosDocuments.DeleteAsync(_container, id, id, etag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    public async Task<Page<Holding>> PendingDecidedBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(PendingBefore).WithParameter("@before", before.ToUnixTimeMilliseconds());
        using var iterator = _container.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<Holding>([], null);
        return await CosmosDocuments.ReadPageAsync<Holding>(iterator, cancellationToken);
    }

    private static (JsonObject Document, string Id) ToDocument(Holding holding)
    {
        var id = DocumentId(holding.LearnerId, holding.ProgramId);
        return (CosmosDocuments.ToDocument(holding, id, ("pendingSince", (holding.Pending?.ReceivedAt ?? holding.Reinstating?.At)?.ToUnixTimeMilliseconds())), id);
    }
}
