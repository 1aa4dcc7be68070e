using System.Text.RegularExpressions;

namespace CredentialFunctions.Domain.Programs;

/// <summary>
/// The xAPI activity IRIs whose passing statements complete a program (a course, an assessment, a
/// cmi5 course or assignable unit). An activity id is an identifier, never fetched, and xAPI compares
/// ids as exact strings, so they are kept as sent: no case folding, no normalisation beyond trimming.
/// </summary>
public static partial class XapiActivities
{
    public const int MostPerProgram = 20;
    public const int MaxIriLength = 2000;

    public static IReadOnlyList<string> Validated(ValidationErrors errors, IReadOnlyList<string>? activities)
    {
        activities ??= [];
        if (activities.Count > MostPerProgram) errors.Add("xapiActivities", $"At most {MostPerProgram} activities.");
        var validated = new List<string>(activities.Count);
        for (var i = 0; i < activities.Count; i++)
        {
            var iri = activities[i]?.Trim() ?? "";
            if (!IsAbsoluteIri(iri))
                errors.Add($"xapiActivities[{i}]", $"An absolute IRI with a scheme (e.g. https://lms.example.org/course/42), without spaces or control characters, at most {MaxIriLength} characters.");
            else if (validated.Contains(iri, StringComparer.Ordinal))
                errors.Add($"xapiActivities[{i}]", "Each activity is named once.");
            validated.Add(iri);
        }
        return validated;
    }

    /// <summary>RFC 3987's absolute IRI as far as it matters here: a scheme, something after it, and no character an IRI cannot hold.</summary>
    public static bool IsAbsoluteIri(string? iri)
        => iri is { Length: > 0 and <= MaxIriLength }
           && !iri.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`')
           // The scheme is checked as written: on Unix, Uri takes "/courses/42" for an absolute file path.
           && Scheme().IsMatch(iri) && Uri.TryCreate(iri, UriKind.Absolute, out _);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:[^/]|^[A-Za-z][A-Za-z0-9+.-]*://[^/]")]
    private static partial Regex Scheme();
}
