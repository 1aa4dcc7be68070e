using CredentialFunctions.Domain.Reports;
using System.Globalization;
using CredentialFunctions.App.Artifacts;
using CredentialFunctions.Application.Reports;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CredentialFunctions.App.Reports;

/// <summary>The compliance report as a one-page-per-screenful PDF (A4 landscape): what the HTML page prints, for a file to keep.</summary>
public static class ComplianceReportPdf
{
    private const double Margin = 40, RowHeight = 16, GroupColumn = 150;

    // The HTML page's colours, so the two printed forms read alike.
    private static readonly XColor[] Colours = [.. ComplianceReportHtml.Colours
        .Select(hex => XColor.FromArgb(int.Parse(hex[1..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) | unchecked((int)0xFF000000)))];

    public static byte[] Write(ComplianceReport report)
    {
        PdfFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Compliance report by {report.Filters.GroupBy.Name()}";
        var writer = new PageWriter(document);
        var title = new XFont(PdfFonts.Family, 16, XFontStyleEx.Bold);
        var text = new XFont(PdfFonts.Family, 9, XFontStyleEx.Regular);
        var bold = new XFont(PdfFonts.Family, 9, XFontStyleEx.Bold);

        writer.Line(document.Info.Title, title, 24);
        writer.Line($"Date of issue: {report.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}", text);
        writer.Line($"Issued by: {report.IssuedBy}", text);
        writer.Line($"Grouped by: {report.Filters.GroupBy.Name()}", text);
        writer.Line($"Completed from: {Day(report.Filters.From)}", text);
        writer.Line($"Completed to: {Day(report.Filters.To)}", text);
        writer.Line($"Digest (SHA-256): {report.Digest}", text, 24);

        var columnWidth = (writer.Width - GroupColumn) / report.Measures.Count;
        writer.Cells(report.Filters.GroupBy.Name(), report.Measures.Select(ComplianceReports.LabelOf), bold, columnWidth);
        foreach (var row in report.Groups)
            writer.Cells(ComplianceReports.GroupLabel(row.Group), Counts(row, report), text, columnWidth);
        writer.Cells("Total", Counts(report.Total, report), bold, columnWidth);

        writer.Skip(12);
        Chart(writer, report, text);
        writer.Finish();
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static IEnumerable<string> Counts(ComplianceRow row, ComplianceReport report)
        => report.Measures.Select(m => row.Counts[m].ToString(CultureInfo.InvariantCulture));

    /// <summary>A bar per measure and group, scaled to the largest count, with the legend first.</summary>
    private static void Chart(PageWriter writer, ComplianceReport report, XFont font)
    {
        for (var m = 0; m < report.Measures.Count; m++)
        {
            var (graphics, y) = writer.Take(12);
            graphics.DrawRectangle(new XSolidBrush(Colours[m % Colours.Length]), Margin, y, 9, 9);
            graphics.DrawString(ComplianceReports.LabelOf(report.Measures[m]), font, XBrushes.Black, Margin + 14, y + 8);
        }
        writer.Skip(8);
        var largest = Math.Max(1, report.Groups.SelectMany(g => g.Counts.Values).DefaultIfEmpty(0).Max());
        var barWidth = writer.Width - GroupColumn - 40;
        foreach (var group in report.Groups)
        {
            for (var m = 0; m < report.Measures.Count; m++)
            {
                var (graphics, y) = writer.Take(m == report.Measures.Count - 1 ? 14 : 8);
                if (m == 0) graphics.DrawString(ComplianceReports.GroupLabel(group.Group), font, XBrushes.Black, Margin, y + 8);
                var width = group.Counts[report.Measures[m]] * barWidth / largest;
                graphics.DrawRectangle(new XSolidBrush(Colours[m % Colours.Length]), Margin + GroupColumn, y, Math.Max(width, 0.5), 7);
            }
        }
    }

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "any";

    /// <summary>Writes down the page and starts a new one when the next line would not fit.</summary>
    private sealed class PageWriter(PdfDocument document)
    {
        private XGraphics? _graphics;
        private double _y;
        private double _height;

        public double Width { get; private set; }

        public (XGraphics Graphics, double Y) Take(double height)
        {
            if (_graphics is null || _y + height > _height - Margin)
            {
                _graphics?.Dispose();
                var page = document.AddPage();
                page.Size = PageSize.A4;
                page.Orientation = PageOrientation.Landscape;
                _graphics = XGraphics.FromPdfPage(page);
                (_y, _height, Width) = (Margin, page.Height.Point, page.Width.Point - 2 * Margin);
            }
            var at = _y;
            _y += height;
            return (_graphics, at);
        }

        public void Skip(double height) => Take(height);

        /// <summary>A page's drawing reaches the document when its graphics are disposed.</summary>
        public void Finish() => _graphics?.Dispose();

        public void Line(string text, XFont font, double height = RowHeight)
        {
            var (graphics, y) = Take(height);
            graphics.DrawString(text, font, XBrushes.Black, Margin, y + font.Size);
        }

        public void Cells(string first, IEnumerable<string> rest, XFont font, double columnWidth)
        {
            var (graphics, y) = Take(RowHeight);
            graphics.DrawString(first, font, XBrushes.Black, Margin, y + font.Size);
            var x = Margin + GroupColumn;
            foreach (var cell in rest)
            {
                graphics.DrawString(cell, font, XBrushes.Black, x, y + font.Size);
                x += columnWidth;
            }
        }
    }
}
