using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Search;

/// <summary>The fixed sort keys of a search: each has a composite index (see CosmosLayout.Credentials).</summary>
public enum SearchSortKey { IssuedAt, ExpiresAt, CompletedAt, LegalName }

public sealed record SearchSort(SearchSortKey Key, bool Descending)
{
    public static readonly SearchSort Default = new(SearchSortKey.IssuedAt, Descending: true);
}

/// <summary>A half-open range of instants, [From, To): either end may be open.</summary>
public sealed record InstantRange(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>
/// What a search asks for; every field narrows it (all are ANDed, the statuses ORed among
/// themselves). <see cref="NamePrefix"/> and <see cref="Email"/> are folded by <see cref="SearchText.Fold"/>.
/// An empty <see cref="Team"/>, <see cref="Cohort"/> or <see cref="JobSite"/> asks for the records that
/// name none: a compliance report's "(none)" group. The search route never sends one (it refuses an
/// empty value); the report's drill-down does.
/// </summary>
public sealed record CredentialFilter(
    string? LearnerId = null,
    string? NamePrefix = null,
    string? ExternalId = null,
    string? Email = null,
    string? ProgramId = null,
    IReadOnlyList<CredentialStatus>? Statuses = null,
    InstantRange? Expiry = null,
    InstantRange? Completion = null,
    string? Team = null,
    string? Cohort = null,
    string? JobSite = null,
    string? ContentVersion = null,
    string? RegulatoryModule = null,
    string? HrId = null);

/// <summary>One search: the filter, the order, and how many per page.</summary>
public sealed record CredentialQuery(CredentialFilter Filter, SearchSort Sort, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    private const int MaxTextLength = 200;

    /// <summary>The query-string parameters a search takes; any other is refused rather than ignored (a misspelt filter would silently widen the answer).</summary>
    public static readonly IReadOnlyList<string> Parameters =
    [
        "learnerId", "name", "externalId", "email", "programId", "status", "expiresFrom", "expiresTo",
        "completedFrom", "completedTo", "team", "cohort", "jobSite", "contentVersion", "regulatoryModule",
        "sort", "pageSize", "continuationToken",
    ];

    /// <summary>Sort keys as the API names them; a leading '-' sorts descending.</summary>
    public static readonly IReadOnlyDictionary<string, SearchSortKey> SortKeys =
        Enum.GetValues<SearchSortKey>().ToDictionary(k => JsonNamingPolicy.CamelCase.ConvertName(k.ToString()), k => k);

    public static readonly IReadOnlyDictionary<string, CredentialStatus> StatusNames =
        Enum.GetValues<CredentialStatus>().ToDictionary(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()), s => s);

    /// <summary>Reads a search from query-string parameters; every bad one is named in one validation failure.</summary>
    public static CredentialQuery Parse(IReadOnlyDictionary<string, string?> parameters)
    {
        var errors = new ValidationErrors();
        foreach (var name in parameters.Keys.Where(k => !Parameters.Contains(k)))
            errors.Add(name, $"Not a search parameter; the parameters are {string.Join(", ", Parameters)}.");
        string? Text(string name) => PlainText.Optional(errors, name, parameters.GetValueOrDefault(name), MaxTextLength);
        string? Folded(string name) => Text(name) is { } t ? SearchText.Fold(t) : null;

        var filter = new CredentialFilter(
            LearnerId: Text("learnerId"),
            NamePrefix: Folded("name"),
            ExternalId: Text("externalId"),
            Email: Folded("email"),
            ProgramId: Text("programId"),
            Statuses: ParseStatuses(errors, parameters.GetValueOrDefault("status")),
            Expiry: ParseRange(errors, parameters, "expiresFrom", "expiresTo"),
            Completion: ParseRange(errors, parameters, "completedFrom", "completedTo"),
            Team: Text("team"),
            Cohort: Text("cohort"),
            JobSite: Text("jobSite"),
            ContentVersion: Text("contentVersion"),
            RegulatoryModule: Text("regulatoryModule"));
        var sort = ParseSort(errors, parameters.GetValueOrDefault("sort"));
        var pageSize = DefaultPageSize;
        if (parameters.GetValueOrDefault("pageSize") is { Length: > 0 } size
            && !(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= MaxPageSize))
            errors.Add("pageSize", $"A whole number from 1 to {MaxPageSize}.");
        errors.ThrowIfAny();
        return new CredentialQuery(filter, sort, pageSize);
    }

    private static IReadOnlyList<CredentialStatus>? ParseStatuses(ValidationErrors errors, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var statuses = new SortedSet<CredentialStatus>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (StatusNames.TryGetValue(name, out var status)) statuses.Add(status);
            else errors.Add("status", $"'{name}' is not a status; the statuses are {string.Join(", ", StatusNames.Keys)}.");
        }
        if (statuses.Count == 0) errors.Add("status", $"Name at least one status: {string.Join(", ", StatusNames.Keys)}.");
        return [.. statuses];
    }

    private static InstantRange? ParseRange(ValidationErrors errors, IReadOnlyDictionary<string, string?> parameters, string fromName, string toName)
    {
        var from = ParseInstant(errors, fromName, parameters.GetValueOrDefault(fromName));
        var to = ParseInstant(errors, toName, parameters.GetValueOrDefault(toName));
        if (from is { } f && to is { } t && t <= f) errors.Add(toName, $"Must be later than {fromName}.");
        return from is null && to is null ? null : new InstantRange(from, to);
    }

    /// <summary>A date (midnight UTC) or an instant with its offset, as ISO 8601.</summary>
    private static DateTimeOffset? ParseInstant(ValidationErrors errors, string name, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        // An instant without its offset would be read in the server's zone: refused rather than guessed.
        if (InstantWithOffset.IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return at.ToUniversalTime();
        errors.Add(name, "A date (2026-03-01) or an instant with its offset (2026-03-01T09:00:00Z).");
        return null;
    }

    private static readonly Regex InstantWithOffset = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static SearchSort ParseSort(ValidationErrors errors, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return SearchSort.Default;
        var descending = text.StartsWith('-');
        if (SortKeys.TryGetValue(descending ? text[1..] : text, out var key)) return new SearchSort(key, descending);
        errors.Add("sort", $"One of {string.Join(", ", SortKeys.Keys)}, with a leading '-' for descending.");
        return SearchSort.Default;
    }
}

/// <summary>The one folding of searchable text: the store writes it beside each record, a search folds what it is given the same way.</summary>
public static class SearchText
{
    public static string Fold(string text) => text.Normalize(NormalizationForm.FormC).Trim().ToLowerInvariant();
}
