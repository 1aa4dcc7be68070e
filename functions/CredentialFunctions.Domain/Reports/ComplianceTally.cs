using System.Collections.Immutable;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Reports;

/// <summary>Which tally a credential counts in for one dimension: the group and the month of its completion.</summary>
public sealed record TallyKey(ReportDimension Dimension, string Group, string Month)
{
    /// <summary>The key as one string, for a store to address the tally by.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Id => $"{Dimension}|{Month}|{Group}";

    public static TallyKey Of(ReportDimension dimension, Credential credential)
        => new(dimension, dimension.GroupOf(credential), MonthOf(ComplianceStanding.Of(credential).CompletedOn));

    public static string MonthOf(DateOnly day) => day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// How many credentials of one group, completed in one month, have each standing. A month per
/// document keeps a document small (its entries are at most the credentials completed in it) and
/// lets a completion-date range read only the months it spans.
/// </summary>
public sealed record ComplianceTally(TallyKey Key, ImmutableDictionary<string, int> Entries)
{
    public static ComplianceTally Empty(TallyKey key) => new(key, ImmutableDictionary<string, int>.Empty);

    public ComplianceTally With(ComplianceStanding standing, int delta)
    {
        var count = Entries.GetValueOrDefault(standing.Key) + delta;
        return this with { Entries = count == 0 ? Entries.Remove(standing.Key) : Entries.SetItem(standing.Key, count) };
    }

    public bool CountsAlike(ComplianceTally other)
        => Entries.Count == other.Entries.Count && Entries.All(e => other.Entries.TryGetValue(e.Key, out var count) && count == e.Value);

    /// <summary>Adds this tally's credentials completed within the range (inclusive, either end open) to the counts at an instant.</summary>
    public void AddTo(ComplianceCounts counts, DateTimeOffset at, DateOnly? from, DateOnly? to)
    {
        foreach (var (key, count) in Entries)
        {
            var standing = ComplianceStanding.FromKey(key);
            if (standing.CompletedOn < from || standing.CompletedOn > to) continue;
            foreach (var measure in standing.MeasuresAt(at)) counts.Add(measure, count);
        }
    }
}

/// <summary>The counts of one group (or of all), by measure.</summary>
public sealed class ComplianceCounts
{
    private readonly int[] _counts = new int[Measures.Count];

    public static IReadOnlyList<ComplianceMeasure> Measures { get; } = Enum.GetValues<ComplianceMeasure>();

    public int this[ComplianceMeasure measure] => _counts[(int)measure];

    public void Add(ComplianceMeasure measure, int count) => _counts[(int)measure] += count;

    public void Add(ComplianceCounts other)
    {
        foreach (var measure in Measures) Add(measure, other[measure]);
    }
}
