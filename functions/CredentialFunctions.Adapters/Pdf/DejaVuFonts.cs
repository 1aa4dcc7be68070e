using PdfSharp.Fonts;

namespace CredentialFunctions.Adapters.Pdf;

/// <summary>
/// The fonts every PDF of the app is set in. PDFsharp 6 reads no system fonts on Linux: it asks a
/// resolver, process-wide and set once, for each face. Debian's fonts-dejavu-core (which
/// scripts/test.sh installs when missing) puts DejaVu Sans where this resolver reads it.
/// </summary>
public sealed class DejaVuFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string Directory = "/usr/share/fonts/truetype/dejavu";
    private const string Regular = "DejaVuSans", Bold = "DejaVuSans-Bold";

    private static readonly Lazy<bool> Registration = new(() =>
    {
        GlobalFontSettings.FontResolver = new DejaVuFonts();
        return true;
    });

    /// <summary>Call before a PDF is drawn: registers the resolver the first time, does nothing after.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
        // Every family asked for is set in DejaVu Sans; italics are simulated by PDFsharp.
        => new(bold ? Bold : Regular, false, italic);

    public byte[]? GetFont(string faceName)
    {
        var path = Path.Combine(Directory, faceName + ".ttf");
        return File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"PDFs are set in DejaVu Sans, and {path} is missing: install Debian's fonts-dejavu-core.", path);
    }
}
