using CredentialFunctions.Domain.Reports;
using System.Globalization;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Application.Search;
using CsvHelper;

namespace CredentialFunctions.App.Reports;

/// <summary>A compliance report as CSV: a row per group, then the total; a group name a spreadsheet would run as a formula is escaped as the export escapes it.</summary>
public static class ComplianceReportCsv
{
    public static string Write(ComplianceReport report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, CredentialCsv.Options, leaveOpen: true))
        {
            csv.WriteHeader([report.Filters.GroupBy.Name(), .. report.Measures]);
            foreach (var row in report.Groups) csv.WriteRecord(Row(row, ComplianceReports.GroupLabel(row.Group), report.Measures));
            csv.WriteRecord(Row(report.Total, "Total", report.Measures));
            csv.Flush();
        }
        return text.ToString();
    }

    private static string[] Row(ComplianceRow row, string label, IReadOnlyList<string> measures)
        => [label, .. measures.Select(m => row.Counts[m].ToString(CultureInfo.InvariantCulture))];
}
