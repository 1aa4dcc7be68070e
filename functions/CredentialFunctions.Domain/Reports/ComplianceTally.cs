using System.Collections.Immutable;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Reports;

/// <summary>
/// How many credentials completed on one day, in one of the day's <see cref="Shards"/>, have each
/// standing, in each group of every dimension (<see cref="Groups"/>: "dimension|group" → standing key →
/// count). A credential counts in one tally whatever the dimensions, so a write that changes its
/// standing rewrites one small document, and a completion-date range reads only the days it spans.
/// The shards exist because a cohort often completes on one day: its concurrent issuances spread over
/// the shards' ETags instead of all retrying on one document's.
/// </summary>
public sealed record ComplianceTally(string Day, ImmutableDictionary<string, ImmutableDictionary<string, int>> Groups, int Shard = 0)
{
    public const int Shards = 16;

    public static ComplianceTally Empty(string day, int shard = 0) => new(day, ImmutableDictionary<string, ImmutableDictionary<string, int>>.Empty, shard);

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
        var groups = Groups;
        foreach (var dimension in Enum.GetValues<ReportDimension>())
        {
            var group = GroupKey(dimension, dimension.GroupOf(credential));
            var entries = groups.GetValueOrDefault(group) ?? ImmutableDictionary<string, int>.Empty;
            var count = entries.GetValueOrDefault(standing) + delta;
            entries = count == 0 ? entries.Remove(standing) : entries.SetItem(standing, count);
            groups = entries.IsEmpty ? groups.Remove(group) : groups.SetItem(group, entries);
        }
        return this with { Groups = groups };
    }

    public bool CountsAlike(ComplianceTally other)
        => Groups.Count == other.Groups.Count && Groups.All(g => other.Groups.TryGetValue(g.Key, out var entries)
            && entries.Count == g.Value.Count && g.Value.All(e => entries.TryGetValue(e.Key, out var count) && count == e.Value));

    /// <summary>How many credentials the tally counts (each once, in its team's group).</summary>
    public int Credentials => Groups.Where(g => g.Key.StartsWith(nameof(ReportDimension.Team) + "|", StringComparison.Ordinal)).Sum(g => g.Value.Values.Sum());

    /// <summary>Adds this tally's counts in one dimension, group by group, at an instant.</summary>
    public void AddTo(ReportDimension dimension, IDictionary<string, ComplianceCounts> byGroup, DateTimeOffset at)
    {
        var prefix = dimension + "|";
        foreach (var (key, entries) in Groups)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var group = key[prefix.Length..];
            if (!byGroup.TryGetValue(group, out var counts)) byGroup[group] = counts = new ComplianceCounts();
            foreach (var (standing, count) in entries)
                foreach (var measure in ComplianceStanding.FromKey(standing).MeasuresAt(at)) counts.Add(measure, count);
        }
    }

    // A dimension's name holds no '|', so the first one ends it, whatever the group's text.
    private static string GroupKey(ReportDimension dimension, string group) => $"{dimension}|{group}";
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
