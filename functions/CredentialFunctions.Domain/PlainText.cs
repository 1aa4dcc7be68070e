using System.Buffers;
using System.Globalization;
using System.Text;

namespace CredentialFunctions.Domain;

/// <summary>
/// The rule for every piece of text a caller gives us (names, reasons, credit activities, ids): it
/// ends up in emails, on the public verification answer and in the audit trail, so it must read as
/// what it looks like. One line, no control or invisible formatting characters (a right-to-left
/// override can make "Ada" display as someone else's name), NFC so the same name is always the same
/// string, and a length cap so no field can swell a record.
/// </summary>
public static class PlainText
{
    /// <summary>The text normalised (NFC, trimmed); when it breaks the rule, the error is added and the text comes back as given.</summary>
    public static string Required(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"Required, 1 to {maxLength} characters.");
            return value ?? "";
        }
        return Normalised(errors, field, value, maxLength);
    }

    /// <summary>As <see cref="Required"/>, but absent (null or blank) is allowed and comes back as null.</summary>
    public static string? Optional(ValidationErrors errors, string field, string? value, int maxLength)
        => string.IsNullOrWhiteSpace(value) ? null : Normalised(errors, field, value, maxLength);

    private static string Normalised(ValidationErrors errors, string field, string value, int maxLength)
    {
        if (Refused(value) is { } problem)
        {
            errors.Add(field, problem);
            return value;
        }
        var text = value.Normalize(NormalizationForm.FormC).Trim();
        if (text.Length > maxLength) errors.Add(field, $"At most {maxLength} characters.");
        return text;
    }

    private static string? Refused(string value)
    {
        for (var rest = value.AsSpan(); !rest.IsEmpty;)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
                return "The text is not valid Unicode (a lone surrogate).";
            if (IsRefused(rune))
                return $"Line breaks, control, invisible formatting and bidirectional-override characters are not allowed (found U+{rune.Value:X4}).";
            rest = rest[used..];
        }
        return null;
    }

    private static bool IsRefused(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
        // The zero-width joiner and non-joiner are format characters that Persian and Indic names
        // need to be spelled right; every other one (bidi overrides and isolates, zero-width space, BOM) is refused.
        UnicodeCategory.Format => rune.Value is not (0x200C or 0x200D),
        _ => false,
    };
}
