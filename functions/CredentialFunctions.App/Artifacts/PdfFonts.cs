using PdfSharp.Fonts;

namespace CredentialFunctions.App.Artifacts;

/// <summary>
/// The typeface of every PDF the app makes (certificates, compliance reports), DejaVu Sans (regular
/// and bold), shipped inside the app (with its licence, Artifacts/Fonts/LICENSE: the Bitstream Vera licence, DejaVu's changes in the public
/// domain): PDFsharp 6 finds no system fonts on Linux, and a Functions plan's image promises none.
/// DejaVu covers Latin, Greek, Cyrillic and more, so a legal name in those scripts prints as written.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly Lazy<byte[]> Regular = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<byte[]> Bold = new(() => Load("DejaVuSans-Bold.ttf"));
    private static readonly Lock Installing = new();

    /// <summary>PDFsharp's resolver is process-wide and may be set only once.</summary>
    public static void Install()
    {
        lock (Installing)
            if (GlobalFontSettings.FontResolver is not PdfFonts) GlobalFontSettings.FontResolver = new PdfFonts();
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
        // Every family the renderer asks for is this one; italic is not used, so none is shipped.
        => new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName) => faceName == "DejaVuSans-Bold" ? Bold.Value : Regular.Value;

    private static byte[] Load(string file)
    {
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream(file)
            ?? throw new InvalidOperationException($"The font {file} is not embedded in the app.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
