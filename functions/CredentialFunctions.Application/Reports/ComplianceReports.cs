using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
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

/// <summary>
/// Compliance reports from the maintained tallies (<see cref="ComplianceProjection"/>): one query of
/// the dimension's tallies in the months the range spans, summed at the moment asked, so states the
/// clock moved since the last write (renewal due, grace, lapse) count as they are now.
/// </summary>
public sealed class ComplianceReports(IComplianceTallies tallies, IReceiptStore receipts, IAccessLog accessLog, TimeProvider time)
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

    public async Task<ComplianceReport> IssueAsync(ComplianceFilters filters, Caller caller, string? query, CancellationToken cancellationToken)
    {
        await accessLog.RecordAsync(caller, Resource, query, cancellationToken);
        var at = time.GetUtcNow();
        var byGroup = new SortedDictionary<string, ComplianceCounts>(StringComparer.Ordinal);
        var stored = await tallies.OfDimensionAsync(filters.GroupBy, Month(filters.From), Month(filters.To), cancellationToken);
        foreach (var tally in stored.Select(t => t.Value))
        {
            if (!byGroup.TryGetValue(tally.Key.Group, out var counts)) byGroup[tally.Key.Group] = counts = new ComplianceCounts();
            tally.AddTo(counts, at, filters.From, filters.To);
        }
        var total = new ComplianceCounts();
        foreach (var counts in byGroup.Values) total.Add(counts);
        var report = new ComplianceReport(at, caller.AuditName, filters, MeasureNames,
            [.. byGroup.Select(g => Row(g.Key, g.Value))], Row("", total), "");
        report = report with { Digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm(report)))) };
        // Kept by its digest, so a printed copy can be checked against what the system issued.
        await receipts.TryCreateAsync(ReceiptKey(report.Digest), report, cancellationToken);
        return report;
    }

    /// <summary>The report as issued under a digest (any case), or null when the system never issued it.</summary>
    public async Task<ComplianceReport?> IssuedAsync(string digest, Caller caller, CancellationToken cancellationToken)
    {
        await accessLog.RecordAsync(caller, $"{Resource}/digests/{digest}", null, cancellationToken);
        if (digest.Length != 64 || !digest.All(Uri.IsHexDigit))
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["digest"] = ["A digest is 64 hexadecimal digits (SHA-256)."] });
        return await receipts.GetAsync<ComplianceReport>(ReceiptKey(digest.ToLowerInvariant()), cancellationToken);
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
            .Append("groupBy=").Append(NameOf(report.Filters.GroupBy)).Append('\n')
            .Append("from=").Append(Day(report.Filters.From)).Append('\n')
            .Append("to=").Append(Day(report.Filters.To)).Append('\n')
            .Append("measures=").Append(string.Join('\t', report.Measures)).Append('\n');
        foreach (var row in report.Groups) Line(text.Append("group="), row);
        Line(text.Append("total="), report.Total);
        return text.ToString();

        static void Line(StringBuilder text, ComplianceRow row)
            => text.Append(row.Group).Append('\t').AppendJoin('\t', MeasureNames.Select(m => row.Counts[m].ToString(CultureInfo.InvariantCulture))).Append('\n');
    }

    public static string NameOf(ReportDimension dimension) => JsonNamingPolicy.CamelCase.ConvertName(dimension.ToString());

    private static ComplianceRow Row(string group, ComplianceCounts counts)
        => new(group, ComplianceCounts.Measures.ToDictionary(NameOf, m => counts[m]));

    private static string ReceiptKey(string digest) => $"report:{digest}";

    private static string? Month(DateOnly? day) => day is { } d ? TallyKey.MonthOf(d) : null;

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
