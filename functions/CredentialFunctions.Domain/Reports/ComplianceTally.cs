using System.Collections.Immutable;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Reports;

/// <summary>
/// How many credentials completed on one day, in one of the day's <see cref="Shards"/>, have each
/// standing, in each group of every dimension (<see cref="Groups"/>: dimension name → group →
/// standing key → count). A credential counts in one tally whatever the dimensions, so a write that
/// changes its standing rewrites one small document, and a completion-date range reads only the days
/// it spans. Nested by dimension so a report reads its dimension alone, a quarter of each document;
/// a standing's key leaves out the day, which is the tally's. The shards exist because a cohort often
/// completes on one day: its concurrent issuances spread over the shards' ETags instead of all
/// retrying on one document's.
/// </summary>
public sealed record ComplianceTally(string Day, ImmutableDictionary<string, ImmutableDictionary<string, ImmutableDictionary<string, int>>> Groups, int Shard = 0)
{
    public const int Shards = 16;

    public static ComplianceTally Empty(string day, int shard = 0) => new(day, ImmutableDictionary<string, ImmutableDictionary<string, ImmutableDictionary<string, int>>>.Empty, shard);

    /// <summary>The tally's id: its day and shard.</summary>
    public string Id => IdOf(Day, Shard);

    public static string IdOf(string day, int shard) => $"{day}.{shard:D2}";

    /// <summary>The tally a credential counts in: its completion day and the shard its certificate id falls in (the same for every version of it).</summary>
    public static string IdOf(Credential credential) => IdOf(DayOf(credential), ShardOf(credential.CertificateId));

    /// <summary>FNV-1a over the id's characters: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static int ShardOf(string certificateId)
        => (int)(certificateId.Aggregate(2166136261u, (hash, c) => unchecked((hash ^ c) * 16777619u)) % Shards);

    /// <summary>The tally a credential counts in: the day (UTC) of its completion, as yyyy-MM-dd.</summary>
    public static string DayOf(Credential credential) => DayOf(ComplianceStanding.Of(credential).CompletedOn);

    public static string DayOf(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The credential added to (+1) or taken from (−1) its group of every dimension, under its standing.</summary>
    public ComplianceTally With(Credential credential, int delta)
    {
        var standing = ComplianceStanding.Of(credential).Key;
        var dimensions = Groups;
        foreach (var dimension in Enum.GetValues<ReportDimension>())
        {
            var name = dimension.Name();
            var group = dimension.GroupOf(credential);
            var groups = dimensions.GetValueOrDefault(name) ?? ImmutableDictionary<string, ImmutableDictionary<string, int>>.Empty;
            var entries = groups.GetValueOrDefault(group) ?? ImmutableDictionary<string, int>.Empty;
            var count = entries.GetValueOrDefault(standing) + delta;
            entries = count == 0 ? entries.Remove(standing) : entries.SetItem(standing, count);
            groups = entries.IsEmpty ? groups.Remove(group) : groups.SetItem(group, entries);
            dimensions = groups.IsEmpty ? dimensions.Remove(name) : dimensions.SetItem(name, groups);
        }
        return this with { Groups = dimensions };
    }

    public bool CountsAlike(ComplianceTally other)
    {
        static IEnumerable<(string, string, string, int)> Entries(ComplianceTally t)
            => t.Groups.SelectMany(d => d.Value.SelectMany(g => g.Value.Select(e => (d.Key, g.Key, e.Key, e.Value))));
        return Entries(this).Order().SequenceEqual(Entries(other).Order());
    }

    /// <summary>How many credentials the tally counts (each once, in its team's group).</summary>
    public int Credentials => Groups.GetValueOrDefault(ReportDimension.Team.Name())?.Sum(g => g.Value.Values.Sum()) ?? 0;

    /// <summary>Adds this tally's counts in one dimension, group by group, at an instant.</summary>
    public void AddTo(ReportDimension dimension, IDictionary<string, ComplianceCounts> byGroup, DateTimeOffset at)
    {
        if (Groups.GetValueOrDefault(dimension.Name()) is { } groups) AddTo(Day, groups, byGroup, at);
    }

    /// <summary>One day's groups of one dimension (all a report reads of a tally) added group by group, at an instant.</summary>
    public static void AddTo(string day, IReadOnlyDictionary<string, ImmutableDictionary<string, int>> groups, IDictionary<string, ComplianceCounts> byGroup, DateTimeOffset at)
    {
        var completedOn = DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (group, entries) in groups)
        {
            if (!byGroup.TryGetValue(group, out var counts)) byGroup[group] = counts = new ComplianceCounts();
            foreach (var (standing, count) in entries)
                foreach (var measure in ComplianceStanding.FromKey(completedOn, standing).MeasuresAt(at)) counts.Add(measure, count);
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
