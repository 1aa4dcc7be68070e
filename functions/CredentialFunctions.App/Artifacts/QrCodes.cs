using QRCoder;

namespace CredentialFunctions.App.Artifacts;

/// <summary>
/// The QR code of a credential's verification address, as PNG (print, PDF) or SVG (the page,
/// where it scales without blurring). Quartile error correction: a printed code survives a crease.
/// </summary>
public static class QrCodes
{
    public static byte[] Png(Uri address, int pixelsPerModule = 8)
    {
        using var data = Encode(address);
        // Black and white as RGBA, not QRCoder's default 1-bit greyscale, which PDFsharp cannot embed.
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule, [0, 0, 0, 255], [255, 255, 255, 255]);
    }

    public static string Svg(Uri address)
    {
        using var data = Encode(address);
        return new SvgQRCode(data).GetGraphic(4);
    }

    public static string SvgDataUri(Uri address) => "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Svg(address)));

    private static QRCodeData Encode(Uri address)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(address.AbsoluteUri, QRCodeGenerator.ECCLevel.Q);
    }
}
