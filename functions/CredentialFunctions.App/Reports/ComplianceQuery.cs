using System.Globalization;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Reports;
using Microsoft.AspNetCore.Http;

namespace CredentialFunctions.App.Reports;

/// <summary>The forms a compliance report is served in.</summary>
public enum ReportFormat { Json, Csv, Html, Pdf }

/// <summary>A compliance report's query string: groupBy (required), from and to (completion dates, inclusive), format (json by default).</summary>
public static class ComplianceQuery
{
    private static readonly Dictionary<string, ReportDimension> Dimensions =
        Enum.GetValues<ReportDimension>().ToDictionary(ComplianceReports.NameOf, d => d, StringComparer.Ordinal);

    private static readonly Dictionary<string, ReportFormat> Formats =
        Enum.GetValues<ReportFormat>().ToDictionary(f => f.ToString().ToLowerInvariant(), f => f, StringComparer.Ordinal);

    public static (ComplianceFilters Filters, ReportFormat Format) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        var groupBy = query["groupBy"].ToString();
        if (!Dimensions.TryGetValue(groupBy, out var dimension))
            errors["groupBy"] = [$"Group by one of {string.Join(", ", Dimensions.Keys)}."];
        var from = Day(query, "from", errors);
        var to = Day(query, "to", errors);
        if (from > to) errors["to"] = ["The range ends before it starts: 'to' must be on or after 'from'."];
        var format = ReportFormat.Json;
        if (query.ContainsKey("format") && !Formats.TryGetValue(query["format"].ToString(), out format))
            errors["format"] = [$"One of {string.Join(", ", Formats.Keys)}."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
        return (new ComplianceFilters(dimension, from, to), format);
    }

    private static DateOnly? Day(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (!query.ContainsKey(name)) return null;
        if (DateOnly.TryParseExact(query[name].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors[name] = ["A date as yyyy-MM-dd."];
        return null;
    }
}
