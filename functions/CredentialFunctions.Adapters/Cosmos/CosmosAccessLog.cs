using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// The access log in its own container, one document per read, only ever created: no code path
/// replaces or deletes one, and the app's identity would need a custom role to be barred from it
/// entirely, which the README names. Partitioned by the reader (see <see cref="CosmosLayout.AccessLog"/>).
/// </summary>
public sealed class CosmosAccessLog(CredentialDatabase database, IIdSource ids, TimeProvider clock) : IAccessLog
{
    private readonly Container _container = database.Container(CosmosLayout.AccessLog);

    public async Task RecordAsync(Caller caller, string resource, string? query, CancellationToken cancellationToken)
    {
        var id = ids.NewId("read");
        var entry = new AccessLogEntry(caller.Id, [.. caller.Roles.Order().Select(r => r.ToString())], resource, query, CosmosRenewalWindowRecords.Sortable(clock.GetUtcNow()));
        if (!await CosmosDocuments.TryCreateAsync(_container, CosmosDocuments.ToDocument(entry, id), caller.Id, cancellationToken))
            throw new InvalidOperationException($"Access log entry {id} already exists: the id source repeated itself.");
    }

    /// <summary>Who read what and when; the instant at a fixed width, so entries sort as strings.</summary>
    private sealed record AccessLogEntry(string CallerId, IReadOnlyList<string> Roles, string Resource, string? Query, string At);
}
