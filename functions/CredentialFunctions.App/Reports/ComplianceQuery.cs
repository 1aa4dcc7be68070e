using System.Globalization;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Reports;
using Microsoft.AspNetCore.Http;

namespace CredentialFunctions.App.Reports;

/// <summary>The forms a compliance report is served in.</summary>
public enum ReportFormat { Json, Csv, Html, Pdf }

/// <summary>
/// A compliance report's query string: groupBy (required), from and to (completion dates, inclusive),
/// format (json by default); and its drill-down's: the same groupBy, from and to, with the measure,
/// the group (every group when absent), pageSize and continuationToken.
/// </summary>
public static class ComplianceQuery
{
    private static readonly Dictionary<string, ReportDimension> Dimensions =
        Enum.GetValues<ReportDimension>().ToDictionary(d => d.Name(), d => d, StringComparer.Ordinal);

    private static readonly Dictionary<string, ComplianceMeasure> Measures =
        Enum.GetValues<ComplianceMeasure>().ToDictionary(ComplianceReports.NameOf, m => m, StringComparer.Ordinal);

    private static readonly Dictionary<string, ReportFormat> Formats =
        Enum.GetValues<ReportFormat>().ToDictionary(f => f.ToString().ToLowerInvariant(), f => f, StringComparer.Ordinal);

    public static (ComplianceFilters Filters, ReportFormat Format) Parse(IQueryCollection query)
    {
        var errors = new ValidationErrors();
        var filters = Filters(query, errors);
        var format = ReportFormat.Json;
        if (query.ContainsKey("format") && !Formats.TryGetValue(query["format"].ToString(), out format))
            errors.Add("format", $"One of {string.Join(", ", Formats.Keys)}.");
        errors.ThrowIfAny();
        return (filters, format);
    }

    public static (ComplianceDrillDown DrillDown, string? ContinuationToken) ParseDrillDown(IQueryCollection query)
    {
        var errors = new ValidationErrors();
        var filters = Filters(query, errors);
        if (!Measures.TryGetValue(query["measure"].ToString(), out var measure))
            errors.Add("measure", $"One of {string.Join(", ", Measures.Keys)}.");
        // Empty is the group of the records that name none, as the report's rows say it ("" in JSON, "(none)" printed).
        string? group = query.TryGetValue("group", out var named) ? named.ToString() : null;
        var pageSize = CredentialQuery.DefaultPageSize;
        if (query.TryGetValue("pageSize", out var size)
            && !(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= CredentialQuery.MaxPageSize))
            errors.Add("pageSize", $"A whole number from 1 to {CredentialQuery.MaxPageSize}.");
        errors.ThrowIfAny();
        return (new ComplianceDrillDown(filters, group, measure, pageSize), query["continuationToken"].ToString() is { Length: > 0 } token ? token : null);
    }

    /// <summary>The parameters as the access log keeps them.</summary>
    public static Dictionary<string, string?> Parameters(IQueryCollection query)
        => query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);

    private static ComplianceFilters Filters(IQueryCollection query, ValidationErrors errors)
    {
        if (!Dimensions.TryGetValue(query["groupBy"].ToString(), out var dimension))
            errors.Add("groupBy", $"Group by one of {string.Join(", ", Dimensions.Keys)}.");
        var from = Day(query, "from", errors);
        var to = Day(query, "to", errors);
        if (from > to) errors.Add("to", "The range ends before it starts: 'to' must be on or after 'from'.");
        return new ComplianceFilters(dimension, from, to);
    }

    private static DateOnly? Day(IQueryCollection query, string name, ValidationErrors errors)
    {
        if (!query.ContainsKey(name)) return null;
        if (DateOnly.TryParseExact(query[name].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors.Add(name, "A date as yyyy-MM-dd.");
        return null;
    }
}
