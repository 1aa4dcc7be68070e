namespace CredentialFunctions.Application.Xapi;

/// <summary>
/// The <c>X-Experience-API-Version</c> header, required on every request and answered on every
/// response, as an LRS does (xAPI 1.0.3 Communication §6.2): 1.0, 1.0.x and 2.0.x are spoken; no
/// header, or any other version, is refused. The answer names the latest patch of the version asked for.
/// </summary>
public static class XapiVersion
{
    public const string Header = "X-Experience-API-Version";
    public const string Latest1 = "1.0.3";
    public const string Latest2 = "2.0.0";

    /// <summary>The version to answer with, or null when the request's version is missing or not spoken.</summary>
    public static string? Negotiate(string? requested)
    {
        var version = requested?.Trim();
        if (version is "1.0" || version?.StartsWith("1.0.", StringComparison.Ordinal) == true && IsPatch(version["1.0.".Length..])) return Latest1;
        if (version is "2.0" || version?.StartsWith("2.0.", StringComparison.Ordinal) == true && IsPatch(version["2.0.".Length..])) return Latest2;
        return null;
    }

    private static bool IsPatch(string patch) => patch.Length is > 0 and <= 4 && patch.All(char.IsAsciiDigit);
}
