using System.Globalization;

namespace CredentialFunctions.Domain.Programs;

/// <summary>How the PDF certificate is laid out on the page.</summary>
public enum CertificateLayout { Landscape, Portrait }

/// <summary>
/// The look a program gives its certificate and verification page: the PDF's layout, a primary
/// colour (the page's header band and the certificate's title, both carrying white or on-white
/// text, so it must be dark enough for 4.5:1), an accent colour (rules and borders, 3:1 on white),
/// and a logo carried in the program itself as a PNG or JPEG data URI, so neither the page nor the
/// PDF ever fetches anything. Part of the program's definition, so it is versioned with it.
/// </summary>
public sealed record CertificateTemplate(CertificateLayout Layout, string PrimaryColor, string AccentColor, string? Logo = null)
{
    public static readonly CertificateTemplate Default = new(CertificateLayout.Landscape, "#1f3a5f", "#8a6d1f", null);

    public const int MaxLogoBytes = 48 * 1024;

    /// <summary>The logo's image bytes and media type, or null when there is none.</summary>
    public (byte[] Bytes, string MediaType)? LogoImage => Logo is { } logo && TryDecodeLogo(logo, out var bytes, out var mediaType) ? (bytes, mediaType) : null;

    public CertificateTemplate Validated(ValidationErrors errors, string field)
    {
        if (!Enum.IsDefined(Layout)) errors.Add($"{field}.layout", "The layout is landscape or portrait.");
        var primary = Color(errors, $"{field}.primaryColor", PrimaryColor);
        var accent = Color(errors, $"{field}.accentColor", AccentColor);
        if (primary is { } p && ContrastWithWhite(p) < 4.5)
            errors.Add($"{field}.primaryColor", "The primary colour carries white text and sits behind text on white: it needs a contrast of at least 4.5:1 with white (WCAG 2.2 AA). Choose a darker shade.");
        if (accent is { } a && ContrastWithWhite(a) < 3)
            errors.Add($"{field}.accentColor", "The accent colour draws rules and borders on white: it needs a contrast of at least 3:1 with white (WCAG 2.2 AA). Choose a darker shade.");
        if (Logo is { } logo && !TryDecodeLogo(logo, out _, out _))
            errors.Add($"{field}.logo", $"The logo is a data URI of a PNG or JPEG image (data:image/png;base64,…), at most {MaxLogoBytes / 1024} KiB.");
        return this with { PrimaryColor = PrimaryColor.ToLowerInvariant(), AccentColor = AccentColor.ToLowerInvariant() };
    }

    /// <summary>The colour's red, green and blue, 0–255 each.</summary>
    public static (int R, int G, int B) Rgb(string color) => (Channel(color, 1), Channel(color, 3), Channel(color, 5));

    private static (int, int, int)? Color(ValidationErrors errors, string field, string? color)
    {
        if (color is { Length: 7 } && color[0] == '#' && color.Skip(1).All(Uri.IsHexDigit)) return Rgb(color);
        errors.Add(field, "A colour is #RRGGBB, like #1f3a5f.");
        return null;
    }

    private static int Channel(string color, int at) => int.Parse(color.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>WCAG 2.2's contrast ratio of a colour against white.</summary>
    private static double ContrastWithWhite((int R, int G, int B) c)
    {
        static double Linear(int channel) => channel / 255.0 is var s && s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        var luminance = 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);
        return 1.05 / (luminance + 0.05);
    }

    private static bool TryDecodeLogo(string logo, out byte[] bytes, out string mediaType)
    {
        bytes = [];
        mediaType = "";
        foreach (var type in new[] { "image/png", "image/jpeg" })
        {
            var prefix = $"data:{type};base64,";
            if (!logo.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var data = logo.AsSpan(prefix.Length);
            if (data.Length > (MaxLogoBytes + 2) / 3 * 4) return false;
            var buffer = new byte[data.Length];
            if (!Convert.TryFromBase64Chars(data, buffer, out var written)) return false;
            bytes = buffer[..written];
            mediaType = type;
            // The bytes must be the image the prefix claims: a PDF renderer trusts them.
            return type == "image/png"
                ? bytes.AsSpan().StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
                : bytes.AsSpan().StartsWith((byte[])[0xFF, 0xD8, 0xFF]);
        }
        return false;
    }
}
