using System.Globalization;
using CredentialFunctions.Application.Reports;
using CsvHelper;
using CsvHelper.Configuration;

namespace CredentialFunctions.App.Reports;

/// <summary>A compliance report as CSV: a row per group, then the total; a group name a spreadsheet would run as a formula is escaped.</summary>
public static class ComplianceReportCsv
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape };

    public static string Write(ComplianceReport report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Configuration))
        {
            csv.WriteField(ComplianceReports.NameOf(report.Filters.GroupBy));
            foreach (var measure in report.Measures) csv.WriteField(measure);
            csv.NextRecord();
            foreach (var row in report.Groups) WriteRow(csv, row, ComplianceReports.GroupLabel(row.Group), report.Measures);
            WriteRow(csv, report.Total, "Total", report.Measures);
        }
        return text.ToString();
    }

    private static void WriteRow(CsvWriter csv, ComplianceRow row, string label, IReadOnlyList<string> measures)
    {
        csv.WriteField(label);
        foreach (var measure in measures) csv.WriteField(row.Counts[measure]);
        csv.NextRecord();
    }
}
