using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
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
/// reconciliation filters on. Each program's key for its first credential ids lives here too, as
/// {id: "first-credential-key-…", programId, key}: it is the one-credential rule's state as the
/// holdings are, and it has no pendingSince for the reconciliation to find.
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

    /// <summary>Keys never change, so each is read once per process.</summary>
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public async Task<byte[]> FirstCredentialKeyAsync(string programId, CancellationToken cancellationToken)
    {
        if (await FindFirstCredentialKeyAsync(programId, cancellationToken) is { } known) return known;
        var made = new FirstCredentialKey(programId, RandomNumberGenerator.GetBytes(32));
        // Of two processes making it at once, the one that wrote first made the key both use.
        if (await CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(made, KeyId(programId)), KeyId(programId), cancellationToken))
            return _keys.GetOrAdd(programId, made.Key);
        return await FindFirstCredentialKeyAsync(programId, cancellationToken)
            ?? throw new InvalidOperationException($"The first-credential key of program '{programId}' conflicted but cannot be read.");
    }

    public async Task<byte[]?> FindFirstCredentialKeyAsync(string programId, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(programId, out var known)) return known;
        return (await CosmosDocuments.ReadAsync<FirstCredentialKey>(_container, KeyId(programId), KeyId(programId), cancellationToken))?.Value is { } read
            ? _keys.GetOrAdd(programId, read.Key)
            : null;
    }

    private static string KeyId(string programId) => "first-credential-key-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(programId)));

    private sealed record FirstCredentialKey(string ProgramId, byte[] Key);

    private static (CosmosDocument Document, string Id) ToDocument(Holding holding)
    {
        var id = DocumentId(holding.LearnerId, holding.ProgramId);
        return (CosmosDocuments.ToDocument(holding, id, ("pendingSince", (holding.Pending?.ReceivedAt ?? holding.Reinstating?.At)?.ToUnixTimeMilliseconds())), id);
    }
}
