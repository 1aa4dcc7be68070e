using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Retention;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// The retention sweep's queries. Every credential document carries <see cref="StartField"/>: when
/// its retention starts counting on each basis (<see cref="CredentialEnd.Of"/>), stamped by the store
/// on every write as UTC at a fixed width, null while it has not happened. The grace end may lie ahead
/// when stamped; whatever moves it (a renewal, a reinstatement) writes the record, and so the stamp.
/// A program's equality filter and the range on one stamp are served by the container's range index;
/// no ORDER BY, so no composite index. Records written before the stamp existed are read too, and
/// judged by the policy, until their next write stamps them.
/// </summary>
public sealed class CosmosRetentionRecords(CredentialDatabase database) : IRetentionRecords
{
    public const string StartField = "retentionStarts";

    private readonly Container _programs = database.Container(CosmosLayout.Programs);
    private readonly Container _credentials = database.Container(CosmosLayout.Credentials);

    public async Task<IReadOnlyList<CertificationProgram>> ProgramsWithRetentionAsync(CancellationToken cancellationToken)
    {
        // No GROUP BY on the local server, and versions are few: the latest version of each program is picked here.
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var version in await ReadAllAsync<ProgramVersion>(_programs, new QueryDefinition("SELECT c.programId, c.version FROM c"), cancellationToken))
            latest[version.ProgramId] = Math.Max(version.Version, latest.GetValueOrDefault(version.ProgramId));
        var withRetention = await ReadAllAsync<CertificationProgram>(_programs, new QueryDefinition("SELECT * FROM c WHERE IS_OBJECT(c.definition.retention)"), cancellationToken);
        return [.. withRetention.Where(p => latest[p.ProgramId] == p.Version).OrderBy(p => p.ProgramId, StringComparer.Ordinal)];
    }

    public async Task<Page<Credential>> EndedByAsync(string programId, RetentionBasis basis, DateTimeOffset endedBy, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var field = basis == RetentionBasis.EmploymentEnd ? "employmentEnd" : "credentialEnd";
        var query = new QueryDefinition($"SELECT * FROM c WHERE c.program.programId = @programId AND (c.{StartField}.{field} <= @endedBy OR NOT IS_DEFINED(c.{StartField}))")
            .WithParameter("@programId", programId).WithParameter("@endedBy", CosmosRenewalWindowRecords.Sortable(endedBy));
        using var iterator = _credentials.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<Credential>([], null);
        return await CosmosDocuments.ReadPageAsync<Credential>(iterator, cancellationToken);
    }

    /// <summary>The credential document's field of the instants its retention counts from, for the query above.</summary>
    internal static (string, JsonNode?) RetentionStart(Credential credential) => (StartField, new JsonObject
    {
        ["credentialEnd"] = Stamp(CredentialEnd.Of(credential, RetentionBasis.CredentialEnd)),
        ["employmentEnd"] = Stamp(CredentialEnd.Of(credential, RetentionBasis.EmploymentEnd)),
    });

    private static string? Stamp(DateTimeOffset? at) => at is { } a ? CosmosRenewalWindowRecords.Sortable(a) : null;

    private static async Task<List<T>> ReadAllAsync<T>(Container container, QueryDefinition query, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        using var iterator = container.GetItemQueryStreamIterator(query);
        while (iterator.HasMoreResults) all.AddRange(await CosmosDocuments.ReadWholePageAsync<T>(iterator, container, cancellationToken));
        return all;
    }

    private sealed record ProgramVersion(string ProgramId, int Version);
}

/// <summary>Legal holds, one document per subject, its id a hash of <see cref="LegalHold.Key"/>; "standing" is indexed for the list.</summary>
public sealed class CosmosLegalHoldStore(CredentialDatabase database) : ILegalHoldStore
{
    private const string Standing = "SELECT * FROM c WHERE IS_OBJECT(c.standing)";

    private readonly Container _container = database.Container(CosmosLayout.LegalHolds);

    private static string DocumentId(string key) => "hold-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<Versioned<LegalHold>?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var id = DocumentId(key);
        return await CosmosDocuments.ReadAsync<LegalHold>(_container, id, id, cancellationToken) is { } read
            ? new Versioned<LegalHold>(read.Value, read.ETag)
            : null;
    }

    public Task<bool> TryCreateAsync(LegalHold hold, CancellationToken cancellationToken)
    {
        var id = DocumentId(hold.Key);
        return CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(hold, id), id, cancellationToken);
    }

    public Task<string> ReplaceAsync(LegalHold hold, string etag, CancellationToken cancellationToken)
    {
        var id = DocumentId(hold.Key);
        return CosmosDocuments.ReplaceAsync(_container, CosmosDocuments.ToDocument(hold, id), id, id, etag, cancellationToken);
    }

    public async Task<Page<LegalHold>> StandingAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryStreamIterator(new QueryDefinition(Standing), continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<LegalHold>([], null);
        return await CosmosDocuments.ReadPageAsync<LegalHold>(iterator, cancellationToken);
    }
}

/// <summary>
/// The purge log: entries are only ever created (a second purge of an id is a 409, the entry already
/// there), and in Azure the app's identity holds a role on this container that cannot replace, upsert
/// or delete. purgedAt is written at a fixed width in UTC so the latest-first listing sorts by instant.
/// </summary>
public sealed class CosmosPurgeLog(CredentialDatabase database) : IPurgeLog
{
    private const string LatestFirst = "SELECT * FROM c ORDER BY c.purgedAt DESC, c.id DESC";

    private readonly Container _container = database.Container(CosmosLayout.PurgeLog);

    public Task<bool> TryAppendAsync(PurgeLogEntry entry, CancellationToken cancellationToken)
        => CosmosDocuments.TryCreateAsync(_container,
            CosmosDocuments.ToDocument(entry, entry.CertificateId, ("purgedAt", CosmosRenewalWindowRecords.Sortable(entry.PurgedAt))),
            entry.CertificateId, cancellationToken);

    public async Task<PurgeLogEntry?> GetAsync(string certificateId, CancellationToken cancellationToken)
        => (await CosmosDocuments.ReadAsync<PurgeLogEntry>(_container, certificateId, certificateId, cancellationToken))?.Value;

    public async Task<IReadOnlySet<string>> PurgedAmongAsync(IReadOnlyCollection<string> certificateIds, CancellationToken cancellationToken)
    {
        var purged = new HashSet<string>(StringComparer.Ordinal);
        if (certificateIds.Count == 0) return purged;
        var query = new QueryDefinition("SELECT c.id FROM c WHERE ARRAY_CONTAINS(@ids, c.id)").WithParameter("@ids", certificateIds);
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { MaxItemCount = -1 });
        while (iterator.HasMoreResults)
            foreach (var found in (await CosmosDocuments.ReadPageAsync<IdOnly>(iterator, cancellationToken)).Items) purged.Add(found.Id);
        return purged;
    }

    private sealed record IdOnly(string Id);

    public async Task<Page<PurgeLogEntry>> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryStreamIterator(new QueryDefinition(LatestFirst), continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<PurgeLogEntry>([], null);
        return await CosmosDocuments.ReadPageAsync<PurgeLogEntry>(iterator, cancellationToken);
    }
}
