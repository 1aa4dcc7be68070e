using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

/// <summary>
/// Search over the credentials container. Credentials are partitioned by certificate id, so a
/// search is a cross-partition query: each physical partition answers from its own index (the
/// "/*" range index for the filters, a composite index per sort key for the ORDER BY) and the SDK
/// merges the sorted streams; no partition is scanned. Every filter is a condition on stored
/// fields: the status, which moves with the clock, becomes date conditions on the schedule's
/// instants, evaluated at the search's instant, so the answer is right at the moment it is asked
/// and not at the record's last write. The searchable instants and folded texts are written under
/// <see cref="Field"/> by the store with every write of the record (as the window's end is).
/// </summary>
public sealed class CosmosCredentialSearch(CredentialDatabase database) : ICredentialSearch
{
    public const string Field = "search";

    /// <summary>The stored path each sort key orders by; CosmosLayout.Credentials holds a composite index (key, id) for each.</summary>
    public static readonly IReadOnlyDictionary<SearchSortKey, string> SortPaths = new Dictionary<SearchSortKey, string>
    {
        [SearchSortKey.IssuedAt] = $"/{Field}/issuedAt",
        [SearchSortKey.ExpiresAt] = $"/{Field}/expiresAt",
        [SearchSortKey.CompletedAt] = $"/{Field}/completedAt",
        [SearchSortKey.LegalName] = $"/{Field}/legalName",
    };

    // A suspension is written only while it holds (absent otherwise), and overrides the clock and a lapse.
    private const string NotSuspended = "NOT IS_DEFINED(c.suspension)";

    // A record not revoked, superseded, lapsed by a write or suspended: its status comes from its schedule and the clock.
    private const string ByTheClock = "c.state IN ('active', 'inGrace') AND " + NotSuspended;

    /// <summary>
    /// Each status as a condition at the instant @at, mirroring <see cref="Credential.StatusAt"/>
    /// (a test checks the two agree for every status). A new status is one line here.
    /// </summary>
    private static readonly IReadOnlyDictionary<CredentialStatus, string> StatusConditions = new Dictionary<CredentialStatus, string>
    {
        [CredentialStatus.Active] = $"({ByTheClock} AND (IS_NULL(c.{Field}.windowOpensAt) OR c.{Field}.windowOpensAt > @at))",
        [CredentialStatus.InRenewalWindow] = $"({ByTheClock} AND c.{Field}.windowOpensAt <= @at AND c.{Field}.expiresAt > @at)",
        [CredentialStatus.InGrace] = $"({ByTheClock} AND c.{Field}.expiresAt <= @at AND c.{Field}.graceEndsAt > @at)",
        [CredentialStatus.Lapsed] = $"((c.state = 'lapsed' AND {NotSuspended}) OR ({ByTheClock} AND c.{Field}.graceEndsAt <= @at))",
        [CredentialStatus.Suspended] = "(c.state IN ('active', 'inGrace', 'lapsed') AND IS_DEFINED(c.suspension))",
        [CredentialStatus.Revoked] = "c.state = 'revoked'",
        [CredentialStatus.Superseded] = "c.state = 'superseded'",
    };

    private readonly Container _container = database.Container(CosmosLayout.Credentials);

    public async Task<Page<Credential>> SearchAsync(CredentialQuery query, DateTimeOffset at, string? continuationToken, CancellationToken cancellationToken)
    {
        using var iterator = _container.GetItemQueryStreamIterator(Sql(query, at), continuationToken, new QueryRequestOptions { MaxItemCount = query.PageSize });
        if (!iterator.HasMoreResults) return new Page<Credential>([], null);
        try
        {
            return await CosmosDocuments.ReadPageAsync<Credential>(iterator, cancellationToken);
        }
        // The envelope holds the store's token as it was given, so this is a token made up inside a well-formed envelope.
        catch (CosmosException e) when (continuationToken is not null && e.StatusCode == HttpStatusCode.BadRequest)
        {
            throw ValidationFailedException.For("continuationToken", "Not a continuation token this API gave; start the search again without it.");
        }
    }

    /// <summary>The query for a search at an instant: only parameters, never caller text in the SQL.</summary>
    public static QueryDefinition Sql(CredentialQuery query, DateTimeOffset at)
    {
        var f = query.Filter;
        var (conditions, parameters) = (new List<string>(), new List<(string, object)>());
        void Equal(string path, string name, string? value)
        {
            if (value is null) return;
            conditions.Add($"c.{path} = @{name}");
            parameters.Add(($"@{name}", value));
        }
        // A record names no team whether the field is absent, null or empty, as the report counts it.
        void PlacedIn(string field, string? value)
        {
            if (value is "") conditions.Add($"(NOT IS_DEFINED(c.placement.{field}) OR IS_NULL(c.placement.{field}) OR c.placement.{field} = \"\")");
            else Equal($"placement.{field}", field, value);
        }
        void Range(string path, string name, InstantRange? range)
        {
            if (range?.From is { } from)
            {
                conditions.Add($"c.{Field}.{path} >= @{name}From");
                parameters.Add(($"@{name}From", Sortable(from)));
            }
            if (range?.To is { } to)
            {
                conditions.Add($"c.{Field}.{path} < @{name}To");
                parameters.Add(($"@{name}To", Sortable(to)));
            }
        }
        Equal("holder.learnerId", "learnerId", f.LearnerId);
        if (f.NamePrefix is { } prefix)
        {
            conditions.Add($"STARTSWITH(c.{Field}.legalName, @name)");
            parameters.Add(("@name", prefix));
        }
        if (f.ExternalId is { } externalId)
        {
            conditions.Add("(c.holder.lmsId = @externalId OR c.holder.hrId = @externalId)");
            parameters.Add(("@externalId", externalId));
        }
        Equal($"{Field}.email", "email", f.Email);
        Equal("program.programId", "programId", f.ProgramId);
        if (f.Statuses is { } statuses)
            conditions.Add(statuses.Count == 0 ? "false" : "(" + string.Join(" OR ", statuses.Select(s => StatusConditions[s])) + ")");
        Range("expiresAt", "expires", f.Expiry);
        Range("completedAt", "completed", f.Completion);
        PlacedIn("team", f.Team);
        PlacedIn("cohort", f.Cohort);
        PlacedIn("jobSite", f.JobSite);
        Equal("contentVersion", "contentVersion", f.ContentVersion);
        Equal("regulatoryModule", "regulatoryModule", f.RegulatoryModule);
        Equal("holder.hrId", "hrId", f.HrId);

        var direction = query.Sort.Descending ? "DESC" : "ASC";
        var sql = new StringBuilder("SELECT * FROM c");
        if (conditions.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        // The id breaks ties, so every page boundary falls at one place in one order.
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY c{SortPaths[query.Sort.Key].Replace('/', '.')} {direction}, c.id {direction}");
        var definition = new QueryDefinition(sql.ToString()).WithParameter("@at", Sortable(at));
        foreach (var (name, value) in parameters) definition = definition.WithParameter(name, value);
        return definition;
    }

    /// <summary>The credential document's field of what a search filters and sorts on: folded texts, and instants that sort as strings.</summary>
    internal static (string, JsonNode?) SearchFields(Credential credential)
    {
        var schedule = credential.Schedule;
        return (Field, new JsonObject
        {
            ["legalName"] = SearchText.Fold(credential.Holder.LegalName),
            ["email"] = SearchText.Fold(credential.Holder.Email),
            ["issuedAt"] = Sortable(credential.IssuedAt),
            ["completedAt"] = Sortable(credential.Completion.CompletedAt),
            ["expiresAt"] = credential.ExpiresAt is { } expiry ? Sortable(expiry) : null,
            ["windowOpensAt"] = schedule is null ? null : Sortable(schedule.WindowOpensAt),
            ["graceEndsAt"] = schedule is null ? null : Sortable(schedule.GraceEndsAt),
        });
    }

    private static string Sortable(DateTimeOffset at) => CosmosRenewalWindowRecords.Sortable(at);
}
