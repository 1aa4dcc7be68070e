using System.Globalization;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CredentialFunctions.App.Artifacts;

/// <summary>
/// The PDF certificate from the program's template (layout, colours, logo) with the record's
/// fields: holder, program, issuer, completion date, score against the pass threshold, credits,
/// certificate id, issue and expiry dates, and the QR code of the verification page, which is
/// where the certificate's current status is told.
/// </summary>
public static class CertificatePdf
{
    public static byte[] Render(Credential c, CertificateTemplate template, Uri verificationUrl)
    {
        PdfFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"{c.Program.Name} — {c.Holder.LegalName}";
        document.Info.Author = c.Program.IssuingOrganization;
        document.Info.Subject = $"Certificate {c.CertificateId}";
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = template.Layout == CertificateLayout.Portrait ? PageOrientation.Portrait : PageOrientation.Landscape;
        using (var g = XGraphics.FromPdfPage(page))
            Draw(g, page.Width.Point, page.Height.Point, c, template, verificationUrl);
        using var pdf = new MemoryStream();
        document.Save(pdf, false);
        return pdf.ToArray();
    }

    private static void Draw(XGraphics g, double width, double height, Credential c, CertificateTemplate template, Uri verificationUrl)
    {
        var primary = Color(template.PrimaryColor);
        var accent = Color(template.AccentColor);
        const double margin = 28;
        g.DrawRectangle(new XPen(accent, 4), margin, margin, width - 2 * margin, height - 2 * margin);
        g.DrawRectangle(new XPen(accent, 1), margin + 8, margin + 8, width - 2 * margin - 16, height - 2 * margin - 16);

        var text = width - 2 * (margin + 40);
        var y = margin + 36;
        if (template.LogoImage is { } logo)
        {
            using var stream = new MemoryStream(logo.Bytes);
            using var image = XImage.FromStream(stream);
            var scale = Math.Min(56 / image.PointHeight, 180 / image.PointWidth);
            g.DrawImage(image, (width - image.PointWidth * scale) / 2, y, image.PointWidth * scale, image.PointHeight * scale);
            y += 56 + 12;
        }

        y = Line(g, c.Program.IssuingOrganization, 16, XFontStyleEx.Bold, XBrushes.Black, width, text, y);
        if (c.Program.Brand is { } brand) y = Line(g, brand, 11, XFontStyleEx.Regular, XBrushes.DimGray, width, text, y);
        y += 14;
        y = Line(g, c.Program.Kind is CredentialKind.Certificate or CredentialKind.Microcredential ? "Certificate" : "Certification", 30, XFontStyleEx.Bold, new XSolidBrush(primary), width, text, y);
        y += 6;
        y = Line(g, "This certifies that", 12, XFontStyleEx.Regular, XBrushes.Black, width, text, y);
        y = Line(g, c.Holder.LegalName, 26, XFontStyleEx.Bold, XBrushes.Black, width, text, y + 4);
        g.DrawLine(new XPen(accent, 1), (width - 260) / 2, y + 2, (width + 260) / 2, y + 2);
        y = Line(g, "has completed", 12, XFontStyleEx.Regular, XBrushes.Black, width, text, y + 10);
        y = Line(g, c.Program.Name, 20, XFontStyleEx.Bold, new XSolidBrush(primary), width, text, y + 2);
        y += 16;

        var qrSize = Math.Min(110, height - y - margin - 40);
        var fields = new List<(string, string)>
        {
            ("Completed on", Date(c.Completion.CompletedAt)),
            ("Score", $"{Number(c.Completion.Score)} (pass mark {Number(c.PassThreshold)})"),
            ("Credits", c.CreditsEarned.Count == 0 ? "None" : string.Join("; ", c.CreditsEarned.Select(k => $"{Number(k.Amount)} {k.Category}"))),
            ("Issued on", Date(c.IssuedAt)),
            ("Valid until", c.ExpiresAt is { } expiry ? Date(expiry) : "Does not expire"),
            ("Certificate id", c.CertificateId),
        };
        var labelFont = new XFont(PdfFonts.Family, 10, XFontStyleEx.Bold);
        var valueFont = new XFont(PdfFonts.Family, 10, XFontStyleEx.Regular);
        var left = margin + 48;
        var valueWidth = width - left - 110 - qrSize - margin - 48;
        foreach (var (label, value) in fields)
        {
            g.DrawString(label, labelFont, XBrushes.Black, new XRect(left, y, 110, 14), XStringFormats.TopLeft);
            g.DrawString(value, Fit(g, value, valueWidth, 10, XFontStyleEx.Regular, valueFont), XBrushes.Black, new XRect(left + 110, y, valueWidth, 14), XStringFormats.TopLeft);
            y += 16;
        }

        var qrX = width - margin - 48 - qrSize;
        var qrY = height - margin - 36 - qrSize;
        using (var qr = XImage.FromStream(new MemoryStream(QrCodes.Png(verificationUrl, 6))))
            g.DrawImage(qr, qrX, qrY, qrSize, qrSize);
        var small = new XFont(PdfFonts.Family, 8, XFontStyleEx.Regular);
        g.DrawString("Check its current status at", small, XBrushes.DimGray, new XRect(left, height - margin - 44, text, 10), XStringFormats.TopLeft);
        g.DrawString(verificationUrl.AbsoluteUri, Fit(g, verificationUrl.AbsoluteUri, qrX - left - 8, 8, XFontStyleEx.Regular, small), XBrushes.DimGray,
            new XRect(left, height - margin - 32, qrX - left - 8, 10), XStringFormats.TopLeft);
    }

    /// <summary>One centred line, shrunk to fit the width (a long legal name or program name still prints whole); the y below it.</summary>
    private static double Line(XGraphics g, string value, double size, XFontStyleEx style, XBrush brush, double pageWidth, double width, double y)
    {
        var font = Fit(g, value, width, size, style, new XFont(PdfFonts.Family, size, style));
        g.DrawString(value, font, brush, new XRect((pageWidth - width) / 2, y, width, font.Height), XStringFormats.TopCenter);
        return y + font.Height * 1.2;
    }

    private static XFont Fit(XGraphics g, string value, double width, double size, XFontStyleEx style, XFont font)
    {
        var measured = g.MeasureString(value, font).Width;
        return measured <= width ? font : new XFont(PdfFonts.Family, Math.Max(5, size * width / measured), style);
    }

    private static XColor Color(string hex)
    {
        var (r, gr, b) = CertificateTemplate.Rgb(hex);
        return XColor.FromArgb(r, gr, b);
    }

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
