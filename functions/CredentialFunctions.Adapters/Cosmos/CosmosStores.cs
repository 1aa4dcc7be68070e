using System.Collections.Concurrent;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>The database handle the stores share: one CosmosClient per process, as the SDK wants.</summary>
public sealed class CredentialDatabase(CosmosClient client, CosmosOptions options)
{
    public Container Container(ContainerLayout layout) => client.GetContainer(options.DatabaseName, layout.Name);

    /// <summary>Local runs only: Bicep owns the database in Azure.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var database = (await client.CreateDatabaseIfNotExistsAsync(options.DatabaseName, cancellationToken: cancellationToken)).Database;
        foreach (var layout in CosmosLayout.All)
            await database.CreateContainerIfNotExistsAsync(layout.ToContainerProperties(), cancellationToken: cancellationToken);
    }
}

/// <summary>
/// Credentials, one document each. Every write, create or replace, goes through <see cref="DocumentAsync"/>,
/// which seals the audit chain with the current anchor key in the same ETag-guarded write.
/// </summary>
public sealed class CosmosCredentialStore(CredentialDatabase database, RecordAnchoring anchoring) : ICredentialStore
{
    private readonly Container _container = database.Container(CosmosLayout.Credentials);

    public async Task<Versioned<Credential>?> GetAsync(string certificateId, CancellationToken cancellationToken)
        => await CosmosDocuments.ReadAsync<Credential>(_container, certificateId, certificateId, cancellationToken) is { } read
            ? new Versioned<Credential>(read.Value, read.ETag)
            : null;

    public async Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken)
        => await CosmosDocuments.CreateIfAbsentAsync(_container, await DocumentAsync(credential, cancellationToken), credential.CertificateId, cancellationToken);

    public async Task<string> ReplaceAsync(Credential credential, string etag, CancellationToken cancellationToken)
        => await CosmosDocuments.ReplaceAsync(_container, await DocumentAsync(credential, cancellationToken), credential.CertificateId, credential.CertificateId, etag, cancellationToken);

    public Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.DeleteAsync(_container, certificateId, certificateId, etag, cancellationToken);

    private async Task<CosmosDocument> DocumentAsync(Credential credential, CancellationToken cancellationToken)
    {
        var anchored = await anchoring.SealAsync(credential, cancellationToken);
        return CosmosDocuments.ToDocument(anchored, anchored.CertificateId, CosmosRenewalWindowRecords.WindowEnd(anchored), CosmosUnsentEvents.UnsentEventsStamp(anchored.Outbox),
            CosmosStatusListRecords.ListsBehind(anchored), CosmosCredentialSearch.SearchFields(anchored), CosmosRetentionRecords.RetentionStart(anchored));
    }
}

/// <summary>Each program version is its own document "programId@version" in the program's partition.</summary>
public sealed class CosmosProgramStore(CredentialDatabase database) : IProgramStore
{
    private readonly Container _container = database.Container(CosmosLayout.Programs);

    /// <summary>
    /// Versions read or written, by document id. A version never changes once written, so it is
    /// kept for the process's life: every issuance reads the version its pass was decided on, and a
    /// cohort of 100,000 would read one document 100,000 times. Programs and their versions are few
    /// (each is an administrator's edit), so the cache is not bounded.
    /// </summary>
    private readonly ConcurrentDictionary<string, CertificationProgram> _versions = new(StringComparer.Ordinal);

    private static string DocumentId(string programId, int version) => $"{programId}@{version}";

    public async Task AddVersionAsync(CertificationProgram program, CancellationToken cancellationToken)
    {
        var id = DocumentId(program.ProgramId, program.Version);
        if (!await CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(program, id), program.ProgramId, cancellationToken))
            throw new ConcurrencyConflictException($"Program '{program.ProgramId}' version {program.Version} was written by someone else first; re-read it and apply your change again.");
        _versions.TryAdd(id, program);
    }

    public async Task<CertificationProgram?> GetVersionAsync(string programId, int version, CancellationToken cancellationToken)
    {
        var id = DocumentId(programId, version);
        if (_versions.TryGetValue(id, out var known)) return known;
        var read = (await CosmosDocuments.ReadAsync<CertificationProgram>(_container, id, programId, cancellationToken))?.Value;
        return read is null ? null : _versions.GetOrAdd(id, read);
    }

    /// <summary>The current version last found of each program.</summary>
    private readonly ConcurrentDictionary<string, CertificationProgram> _current = new(StringComparer.Ordinal);

    /// <summary>
    /// A single-partition query for the highest version: versions are immutable, so there is no
    /// "current" pointer to keep in step. Versions are numbered one after the other, so the version
    /// last found is still current while the next number is not written: a point read of that
    /// number answers, a third of the query's cost, and a new version is seen at once.
    /// </summary>
    public async Task<CertificationProgram?> GetCurrentAsync(string programId, CancellationToken cancellationToken)
    {
        if (_current.TryGetValue(programId, out var known) && await GetVersionAsync(programId, known.Version + 1, cancellationToken) is null) return known;
        var found = await QueryCurrentAsync(programId, cancellationToken);
        return found is null ? null : _current.AddOrUpdate(programId, found, (_, kept) => kept.Version >= found.Version ? kept : found);
    }

    private async Task<CertificationProgram?> QueryCurrentAsync(string programId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP 1 * FROM c WHERE c.programId = @programId ORDER BY c.version DESC")
            .WithParameter("@programId", programId);
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(programId), MaxItemCount = 1 });
        while (iterator.HasMoreResults)
        {
            // A page may come back empty while the query is still running: read on until one holds the version.
            if (await CosmosDocuments.ReadWholePageAsync<CertificationProgram>(iterator, _container, cancellationToken) is [var first, ..]) return first;
        }
        return null;
    }
}

/// <summary>
/// Webhook receipts: {id: key, receipt: {...}}; the create-or-409 is the idempotency check. Nothing
/// is indexed but <see cref="CertificateIdPath"/>, which the retention purge finds a credential's
/// completion receipts by (a query across partitions, as every receipt is its own).
/// </summary>
public sealed class CosmosReceiptStore(CredentialDatabase database) : IReceiptStore
{
    public const string CertificateIdPath = "/receipt/certificateId";

    private const string Naming = "SELECT * FROM c WHERE c.receipt.certificateId = @certificateId";

    private readonly Container _container = database.Container(CosmosLayout.Receipts);

    public Task<bool> TryCreateAsync<T>(string key, T receipt, CancellationToken cancellationToken)
        => CosmosDocuments.TryCreateAsync(_container, Document(key, receipt), key, cancellationToken);

    public async Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken) where T : class
        => (await CosmosDocuments.ReadAsync<ReceiptDocument<T>>(_container, key, key, cancellationToken))?.Value.Receipt;

    public async Task<IReadOnlyList<Versioned<CompletionReceipt>>> CompletionsNamingAsync(string certificateId, CancellationToken cancellationToken)
    {
        var found = new List<Versioned<CompletionReceipt>>();
        using var iterator = _container.GetItemQueryStreamIterator(new QueryDefinition(Naming).WithParameter("@certificateId", certificateId));
        while (iterator.HasMoreResults)
            found.AddRange((await CosmosDocuments.ReadWholeVersionedPageAsync<ReceiptDocument<CompletionReceipt>>(iterator, _container, cancellationToken))
                .Select(d => new Versioned<CompletionReceipt>(d.Value.Receipt, d.ETag)));
        return found;
    }

    public Task ReplaceAsync<T>(string key, T receipt, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.ReplaceAsync(_container, Document(key, receipt), key, key, etag, cancellationToken);

    public Task<bool> DeleteAsync(string key, string etag, CancellationToken cancellationToken)
        => CosmosDocuments.DeleteAsync(_container, key, key, etag, cancellationToken);

    private static CosmosDocument Document<T>(string key, T receipt) => CosmosDocuments.ToDocument(new ReceiptDocument<T>(receipt), key);

    private sealed record ReceiptDocument<T>(T Receipt);
}
