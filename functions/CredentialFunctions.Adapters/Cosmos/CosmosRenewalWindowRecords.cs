using System.Globalization;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Renewal;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// The reconciliation's cross-partition scan of the credentials whose renewal window is still open,
/// paged with continuation tokens. Every credential document carries the instant its window ends
/// (<see cref="WindowEndsAtField"/>, written with each write of the record, null once the window has
/// nothing left to do), so the scan is one range filter on one path: the container's "/*" range index
/// serves it, and with no ORDER BY it needs no composite index. Ended and long-lapsed records are not
/// read at all. No DISTINCT or GROUP BY, which the local server cannot run and a sweep does not need.
/// </summary>
public sealed class CosmosRenewalWindowRecords(CredentialDatabase database) : IRenewalWindowRecords
{
    public const string WindowEndsAtField = "renewalWindowEndsAt";

    // Documents written before the field existed carry none: they are read (and judged by the
    // domain) until their next write stamps it.
    private const string OpenWindows =
        $"SELECT * FROM c WHERE c.{WindowEndsAtField} >= @endingSince OR NOT IS_DEFINED(c.{WindowEndsAtField})";

    private readonly Container _container = database.Container(CosmosLayout.Credentials);

    public async Task<Page<Credential>> WithOpenWindowsAsync(DateTimeOffset endingSince, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(OpenWindows).WithParameter("@endingSince", Sortable(endingSince));
        using var iterator = _container.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { MaxItemCount = pageSize });
        if (!iterator.HasMoreResults) return new Page<Credential>([], null);
        return await CosmosDocuments.ReadPageAsync<Credential>(iterator, cancellationToken);
    }

    /// <summary>The credential document's field of the instant its window ends, for the scan above to filter on.</summary>
    internal static (string, JsonNode?) WindowEnd(Credential credential)
        => (WindowEndsAtField, RenewalWindow.EndsAt(credential) is { } endsAt ? Sortable(endsAt) : null);

    /// <summary>UTC at a fixed width, so the strings sort as the instants do whatever offset the record was written with.</summary>
    internal static string Sortable(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
