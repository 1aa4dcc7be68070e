using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Application.Reports;

/// <summary>What a compliance report was asked for: the grouping and the completion-date range (inclusive, either end open).</summary>
public sealed record ComplianceFilters(ReportDimension GroupBy, DateOnly? From, DateOnly? To);

/// <summary>One line of a report: a group (empty when the records name none) and its count of each measure, by the measure's camelCase name.</summary>
public sealed record ComplianceRow(string Group, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// A compliance report as issued: when, by whom, for what filters, the counts per group and in all,
/// and the digest (SHA-256 of <see cref="ComplianceReports.CanonicalForm"/>) a printed copy carries.
/// </summary>
public sealed record ComplianceReport(
    DateTimeOffset IssuedAt, string IssuedBy, ComplianceFilters Filters, IReadOnlyList<string> Measures,
    IReadOnlyList<ComplianceRow> Groups, ComplianceRow Total, string Digest);

/// <summary>Which number of a report to list the learners behind: a measure, in one group (every group when null).</summary>
public sealed record ComplianceDrillDown(ComplianceFilters Filters, string? Group, ComplianceMeasure Measure, int PageSize);

/// <summary>
/// Compliance reports from the maintained tallies (<see cref="ComplianceProjection"/>): one query of
/// the tallies of the days the range spans, summed at the moment asked, so states the
/// clock moved since the last write (renewal due, grace, lapse) count as they are now. The learners
/// behind a number are a search (<see cref="ICredentialSearch"/>) for the same credentials at the same kind of instant.
/// </summary>
public sealed class ComplianceReports(IComplianceTallies tallies, ICredentialSearch search, IReceiptStore receipts, IAccessLog accessLog, TimeProvider time)
{
    public const string Resource = "reports/compliance";

    public static IReadOnlyList<string> MeasureNames { get; } = [.. ComplianceCounts.Measures.Select(NameOf)];

    /// <summary>Each measure's column heading, for the printable and CSV forms.</summary>
    public static string LabelOf(string measure) => measure switch
    {
        "dueWithin30Days" => "Due within 30 days",
        "dueWithin60Days" => "Due within 60 days",
        "dueWithin90Days" => "Due within 90 days",
        "inGrace" => "In grace",
        _ => char.ToUpperInvariant(measure[0]) + measure[1..],
    };

    /// <summary>A group as printed: the records that name none are one group of their own.</summary>
    public static string GroupLabel(string group) => group.Length == 0 ? "(none)" : group;

    public static string NameOf(ComplianceMeasure measure) => JsonNamingPolicy.CamelCase.ConvertName(measure.ToString());

    /// <param name="parameters">The request's, as the access log keeps them.</param>
    public async Task<ComplianceReport> IssueAsync(ComplianceFilters filters, Caller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var byGroup = new SortedDictionary<string, ComplianceCounts>(StringComparer.Ordinal);
        foreach (var tally in await tallies.GroupsBetweenAsync(filters.GroupBy, Day(filters.From), Day(filters.To), cancellationToken))
            if (tally.Groups is { } groups) ComplianceTally.AddTo(tally.Day, groups, byGroup, at);
        var total = new ComplianceCounts();
        foreach (var counts in byGroup.Values) total.Add(counts);
        var report = new ComplianceReport(at, caller.AuditName, filters, MeasureNames,
            [.. byGroup.Select(g => Row(g.Key, g.Value))], Row("", total), "");
        report = report with { Digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm(report)))) };
        // Kept by its digest, so a printed copy can be checked against what the system issued.
        await receipts.TryCreateAsync(ReceiptKey(report.Digest), report, cancellationToken);
        await accessLog.RecordAsync(caller, Resource, CredentialSearchService.QueryText(parameters), cancellationToken);
        return report;
    }

    /// <summary>
    /// The credentials behind one number, soonest expiry first, a page at a time: at the instant asked,
    /// and every later page at the first page's instant (its continuation token carries it, as a
    /// search's does), so a credential the clock moves between pages is neither lost nor listed twice.
    /// </summary>
    public async Task<SearchPage> LearnersAsync(ComplianceDrillDown drillDown, string? continuationToken, Caller caller, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        CredentialQuery QueryAt(DateTimeOffset instant) => new(FilterAt(drillDown, instant), new SearchSort(SearchSortKey.ExpiresAt, Descending: false), drillDown.PageSize);
        var (at, storeToken) = continuationToken is { Length: > 0 } token ? SearchContinuation.Open(token, QueryAt) : (time.GetUtcNow(), null);
        var query = QueryAt(at);
        var page = await search.SearchAsync(query, at, storeToken, cancellationToken);
        await accessLog.RecordAsync(caller, $"{Resource}/learners", CredentialSearchService.QueryText(parameters), cancellationToken);
        return new SearchPage(at, [.. page.Items.Select(c => CredentialSummary.Of(c, at))],
            page.ContinuationToken is { } next ? SearchContinuation.Seal(query, at, next) : null, page.Unreadable);
    }

    /// <summary>
    /// A measure as a search: the statuses it counts (<see cref="ComplianceStanding.MeasuresAt"/> and
    /// <see cref="Credential.StatusAt"/> agree), a "due within N days" one also expiring at most N days
    /// after the instant, and the report's inclusive completion days as the search's half-open range.
    /// </summary>
    private static CredentialFilter FilterAt(ComplianceDrillDown drillDown, DateTimeOffset at)
    {
        IReadOnlyList<CredentialStatus> valid = [CredentialStatus.Active, CredentialStatus.InRenewalWindow];
        (IReadOnlyList<CredentialStatus> Statuses, int? DueWithinDays) measure = drillDown.Measure switch
        {
            ComplianceMeasure.Active => (valid, null),
            ComplianceMeasure.DueWithin30Days => (valid, 30),
            ComplianceMeasure.DueWithin60Days => (valid, 60),
            ComplianceMeasure.DueWithin90Days => (valid, 90),
            ComplianceMeasure.InGrace => ([CredentialStatus.InGrace], null),
            ComplianceMeasure.Lapsed => ([CredentialStatus.Lapsed], null),
            ComplianceMeasure.Suspended => ([CredentialStatus.Suspended], null),
            ComplianceMeasure.Revoked => ([CredentialStatus.Revoked], null),
            ComplianceMeasure.Superseded => ([CredentialStatus.Superseded], null),
            _ => throw new ArgumentOutOfRangeException(nameof(drillDown), drillDown.Measure, null),
        };
        var (filters, group) = (drillDown.Filters, drillDown.Group);
        return new CredentialFilter(
            Statuses: measure.Statuses,
            // The report counts expiresAt − at ≤ N days; the search's range ends before its end, so one tick after.
            Expiry: measure.DueWithinDays is { } days ? new InstantRange(null, at.AddDays(days).AddTicks(1)) : null,
            Completion: filters.From is null && filters.To is null ? null : new InstantRange(Midnight(filters.From), Midnight(filters.To?.AddDays(1))),
            ProgramId: filters.GroupBy == ReportDimension.Program ? group : null,
            Team: filters.GroupBy == ReportDimension.Team ? group : null,
            Cohort: filters.GroupBy == ReportDimension.Cohort ? group : null,
            JobSite: filters.GroupBy == ReportDimension.JobSite ? group : null);
    }

    private static DateTimeOffset? Midnight(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>The report as issued under a digest (any case), or null when the system never issued it.</summary>
    public async Task<ComplianceReport?> IssuedAsync(string digest, Caller caller, CancellationToken cancellationToken)
    {
        if (digest.Length != 64 || !digest.All(Uri.IsHexDigit))
            throw ValidationFailedException.For("digest", "A digest is 64 hexadecimal digits (SHA-256).");
        var issued = await receipts.GetAsync<ComplianceReport>(ReceiptKey(digest.ToLowerInvariant()), cancellationToken);
        await accessLog.RecordAsync(caller, $"{Resource}/digests/{digest.ToLowerInvariant()}", null, cancellationToken);
        return issued;
    }

    /// <summary>
    /// What the digest is computed over, one field a line: issuedAt (UTC, ISO 8601 with 7 decimals),
    /// issuedBy, groupBy, from, to (yyyy-MM-dd or empty), the measures tab-separated, then a line per
    /// group and one for the total: the group, a tab, its counts tab-separated in the measures' order.
    /// </summary>
    public static string CanonicalForm(ComplianceReport report)
    {
        var text = new StringBuilder()
            .Append("issuedAt=").Append(report.IssuedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)).Append('\n')
            .Append("issuedBy=").Append(report.IssuedBy).Append('\n')
            .Append("groupBy=").Append(report.Filters.GroupBy.Name()).Append('\n')
            .Append("from=").Append(Day(report.Filters.From) ?? "").Append('\n')
            .Append("to=").Append(Day(report.Filters.To) ?? "").Append('\n')
            .Append("measures=").Append(string.Join('\t', report.Measures)).Append('\n');
        foreach (var row in report.Groups) Line(text.Append("group="), row);
        Line(text.Append("total="), report.Total);
        return text.ToString();

        static void Line(StringBuilder text, ComplianceRow row)
            => text.Append(row.Group).Append('\t').AppendJoin('\t', MeasureNames.Select(m => row.Counts[m].ToString(CultureInfo.InvariantCulture))).Append('\n');
    }

    private static ComplianceRow Row(string group, ComplianceCounts counts)
        => new(group, ComplianceCounts.Measures.ToDictionary(NameOf, m => counts[m]));

    private static string ReceiptKey(string digest) => $"report:{digest}";

    private static string? Day(DateOnly? day) => day is { } d ? ComplianceTally.DayOf(d) : null;
}
