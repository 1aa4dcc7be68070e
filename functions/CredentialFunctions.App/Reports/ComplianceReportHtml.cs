using CredentialFunctions.Domain.Reports;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CredentialFunctions.Application.Reports;

namespace CredentialFunctions.App.Reports;

/// <summary>
/// The printable compliance report: one self-contained HTML page (inline style and SVG, nothing
/// loaded from elsewhere) with the date of issue, the filters, a bar chart and the table of counts,
/// and the digest a reader checks the printed copy with.
/// </summary>
public static class ComplianceReportHtml
{
    /// <summary>The page needs only its own inline style.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";

    /// <summary>One colour per measure, in the measures' order, chosen to stay apart when printed in grey; the PDF draws with the same.</summary>
    public static readonly string[] Colours = ["#1b7837", "#a6dba0", "#fdb863", "#e66101", "#5e3c99", "#b2182b", "#2166ac", "#404040", "#969696"];

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Write(ComplianceReport report)
    {
        var dimension = report.Filters.GroupBy.Name();
        var page = new StringBuilder();
        page.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Compliance report by ").Append(dimension).Append("</title><style>")
            .Append("body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;color:#111}table{border-collapse:collapse}")
            .Append("th,td{border:1px solid #999;padding:.3em .6em;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}p{overflow-wrap:anywhere}code{word-break:break-all}")
            // A phone scrolls the table within its box, never the page; the chart scales to the width.
            .Append("svg{max-width:100%;height:auto}.counts{overflow-x:auto;max-width:100%}")
            .Append("@media (max-width:600px){body{margin:1em}dl{grid-template-columns:auto}}")
            .Append("@media print{body{margin:0}.counts{overflow:visible}}</style></head><body><main>")
            .Append("<h1>Compliance report by ").Append(dimension).Append("</h1><dl>");
        Term(page, "Date of issue", "issued-at", report.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Term(page, "Issued by", "issued-by", report.IssuedBy);
        Term(page, "Grouped by", "group-by", dimension);
        Term(page, "Completed from", "from", Day(report.Filters.From));
        Term(page, "Completed to", "to", Day(report.Filters.To));
        page.Append("</dl>");
        Chart(page, report);
        page.Append("<div class=\"counts\" role=\"region\" aria-label=\"Counts per group\" tabindex=\"0\"><table id=\"counts\"><thead><tr><th>").Append(Html.Encode(dimension)).Append("</th>");
        foreach (var measure in report.Measures) page.Append("<th>").Append(Html.Encode(ComplianceReports.LabelOf(measure))).Append("</th>");
        page.Append("</tr></thead><tbody>");
        foreach (var row in report.Groups) Row(page, "td", row, ComplianceReports.GroupLabel(row.Group), report.Measures);
        page.Append("</tbody><tfoot>");
        Row(page, "th", report.Total, "Total", report.Measures);
        page.Append("</tfoot></table></div>")
            .Append("<p>Digest (SHA-256): <code id=\"digest\">").Append(report.Digest).Append("</code></p>")
            .Append("<p>To check a printed copy, ask <code>GET /api/reports/compliance/digests/").Append(report.Digest)
            .Append("</code>: it answers the report as issued, and not found for any other digest.</p></main></body></html>");
        return page.ToString();
    }

    private static void Term(StringBuilder page, string term, string id, string value)
        => page.Append("<dt>").Append(term).Append("</dt><dd id=\"").Append(id).Append("\">").Append(Html.Encode(value)).Append("</dd>");

    private static void Row(StringBuilder page, string cell, ComplianceRow row, string label, IReadOnlyList<string> measures)
    {
        page.Append("<tr data-group=\"").Append(Html.Encode(row.Group)).Append("\"><").Append(cell).Append('>').Append(Html.Encode(label)).Append("</").Append(cell).Append('>');
        foreach (var measure in measures)
            page.Append("<td data-measure=\"").Append(measure).Append("\">").Append(row.Counts[measure].ToString(CultureInfo.InvariantCulture)).Append("</td>");
        page.Append("</tr>");
    }

    /// <summary>A bar per measure for each group, scaled to the largest count, with a legend.</summary>
    private static void Chart(StringBuilder page, ComplianceReport report)
    {
        const int labelWidth = 160, barWidth = 420, barHeight = 10, groupGap = 14;
        var measures = report.Measures;
        var largest = Math.Max(1, report.Groups.SelectMany(g => g.Counts.Values).DefaultIfEmpty(0).Max());
        var groupHeight = measures.Count * barHeight + groupGap;
        var legendTop = report.Groups.Count * groupHeight + 10;
        var height = legendTop + measures.Count * 16 + 10;
        page.Append(CultureInfo.InvariantCulture, $"<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {labelWidth + barWidth + 60} {height}\" width=\"{labelWidth + barWidth + 60}\" height=\"{height}\" font-size=\"11\">")
            .Append("<title>Counts per ").Append(report.Filters.GroupBy.Name()).Append("</title>");
        for (var g = 0; g < report.Groups.Count; g++)
        {
            var group = report.Groups[g];
            var top = g * groupHeight;
            page.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{top + measures.Count * barHeight / 2 + 4}\">").Append(Html.Encode(ComplianceReports.GroupLabel(group.Group))).Append("</text>");
            for (var m = 0; m < measures.Count; m++)
            {
                var count = group.Counts[measures[m]];
                var width = count * barWidth / largest;
                var y = top + m * barHeight;
                page.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{width}\" height=\"{barHeight - 1}\" fill=\"{Colours[m % Colours.Length]}\"><title>{Html.Encode(ComplianceReports.LabelOf(measures[m]))}: {count}</title></rect>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 4}\" y=\"{y + barHeight - 1}\">{count}</text>");
            }
        }
        for (var m = 0; m < measures.Count; m++)
            page.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{legendTop + m * 16}\" width=\"12\" height=\"12\" fill=\"{Colours[m % Colours.Length]}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + 18}\" y=\"{legendTop + m * 16 + 10}\">{Html.Encode(ComplianceReports.LabelOf(measures[m]))}</text>");
        page.Append("</svg>");
    }

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "any";
}
