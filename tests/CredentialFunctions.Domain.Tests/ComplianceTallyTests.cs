using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Domain.Tests;

public class ComplianceTallyTests
{
    private static readonly string[] Teams = ["Blue", "Green", ""];

    /// <summary>Credentials completed over two years, a third revoked, lapsed or suspended, in three teams (one unnamed).</summary>
    private static List<Credential> Generated(int count, int seed)
    {
        var random = new Random(seed);
        var program = A.Program();
        var credentials = new List<Credential>();
        for (var i = 0; i < count; i++)
        {
            var completedAt = A.Jan1.AddMinutes(random.Next(0, 2 * 365 * 24 * 60));
            var team = Teams[random.Next(Teams.Length)];
            var credential = A.Credential(program, completedAt, seed: i + 1, placement: new Placement(team.Length == 0 ? null : team, "c", "s"));
            credential = random.Next(6) switch
            {
                0 => credential.Revoke(completedAt.AddDays(10), "pm", "Fraud.").Credential,
                1 when credential.Schedule is { } s => credential.Lapse(s.GraceEndsAt).Credential,
                2 => credential.Suspend(completedAt.AddDays(30), "pm", "Under investigation.").Credential,
                _ => credential,
            };
            credentials.Add(credential);
        }
        return credentials;
    }

    /// <summary>The report's sum: each credential added to its day's tally, then the days within the range summed by team at the instant.</summary>
    private static Dictionary<string, ComplianceCounts> Tallied(IEnumerable<Credential> credentials, DateTimeOffset at, DateOnly? from = null, DateOnly? to = null)
    {
        var tallies = new Dictionary<string, ComplianceTally>();
        foreach (var c in credentials)
        {
            var day = ComplianceTally.DayOf(c);
            tallies[day] = (tallies.GetValueOrDefault(day) ?? ComplianceTally.Empty(day)).With(c, 1);
        }
        var byGroup = new Dictionary<string, ComplianceCounts>();
        foreach (var tally in tallies.Values.Where(t => (from is null || string.CompareOrdinal(t.Day, ComplianceTally.DayOf(from.Value)) >= 0)
                                                     && (to is null || string.CompareOrdinal(t.Day, ComplianceTally.DayOf(to.Value)) <= 0)))
            tally.AddTo(ReportDimension.Team, byGroup, at);
        return byGroup;
    }

    public static TheoryData<int> Instants => [0, 200, 400, 500, 700, 800, 1000];

    [Theory]
    [MemberData(nameof(Instants))]
    public void Counts_from_tallies_equal_a_count_of_every_credential_at_the_instant(int daysAfterJan1)
    {
        var credentials = Generated(600, seed: 11);
        var at = A.Jan1.AddDays(daysAfterJan1).AddHours(5);
        var tallied = Tallied(credentials, at);
        foreach (var team in Teams)
        {
            var expected = ComplianceOracle.Count(credentials.Where(c => ReportDimension.Team.GroupOf(c) == team), at);
            foreach (var measure in ComplianceCounts.Measures) Assert.Equal(expected[measure], tallied[team][measure]);
        }
    }

    [Fact]
    public void A_credential_counts_as_due_within_30_days_from_the_very_instant_30_days_before_its_expiry()
    {
        var credential = A.Credential(A.Program());
        var crossing = credential.ExpiresAt!.Value.AddDays(-30);
        Assert.Equal(0, Tallied([credential], crossing.AddTicks(-1))["Blue"][ComplianceMeasure.DueWithin30Days]);
        Assert.Equal(ComplianceOracle.Count([credential], crossing)[ComplianceMeasure.DueWithin30Days], Tallied([credential], crossing)["Blue"][ComplianceMeasure.DueWithin30Days]);
        Assert.Equal(1, Tallied([credential], crossing)["Blue"][ComplianceMeasure.DueWithin30Days]);
    }

    [Fact]
    public void At_grace_end_a_credential_leaves_grace_and_counts_as_lapsed_with_no_write()
    {
        var credential = A.Credential(A.Program());
        var graceEnd = credential.Schedule!.GraceEndsAt;
        var before = Tallied([credential], graceEnd.AddTicks(-1))["Blue"];
        var at = Tallied([credential], graceEnd)["Blue"];
        Assert.Equal((1, 0), (before[ComplianceMeasure.InGrace], before[ComplianceMeasure.Lapsed]));
        Assert.Equal((0, 1), (at[ComplianceMeasure.InGrace], at[ComplianceMeasure.Lapsed]));
    }

    [Fact]
    public void A_completion_date_range_counts_only_the_credentials_completed_within_it()
    {
        var credentials = Generated(300, seed: 5);
        var (from, to) = (new DateOnly(2026, 3, 10), new DateOnly(2026, 9, 20));
        var at = A.Jan1.AddDays(420);
        var tallied = Tallied(credentials, at, from, to);
        var within = credentials.Where(c => DateOnly.FromDateTime(c.Completion.CompletedAt.UtcDateTime) is var d && d >= from && d <= to);
        foreach (var team in Teams)
        {
            var expected = ComplianceOracle.Count(within.Where(c => ReportDimension.Team.GroupOf(c) == team), at);
            foreach (var measure in ComplianceCounts.Measures) Assert.Equal(expected[measure], tallied[team][measure]);
        }
    }

    [Fact]
    public void Taking_back_what_was_added_leaves_an_empty_tally_and_every_dimension_counts_each_credential_once()
    {
        var credentials = Generated(40, seed: 9).Select(c => c with { Completion = c.Completion with { CompletedAt = A.Jan1 } }).ToList();
        var tally = credentials.Aggregate(ComplianceTally.Empty("2026-01-01"), (t, c) => t.With(c, 1));
        Assert.Equal(40, tally.Credentials);
        foreach (var dimension in Enum.GetValues<ReportDimension>())
        {
            var byGroup = new Dictionary<string, ComplianceCounts>();
            tally.AddTo(dimension, byGroup, A.Jan1);
            var all = new ComplianceCounts();
            foreach (var counts in byGroup.Values) all.Add(counts);
            Assert.Equal(40, ComplianceCounts.Measures.Where(m => m is not (ComplianceMeasure.DueWithin30Days or ComplianceMeasure.DueWithin60Days or ComplianceMeasure.DueWithin90Days)).Sum(m => all[m]));
        }
        Assert.True(credentials.Aggregate(tally, (t, c) => t.With(c, -1)).CountsAlike(ComplianceTally.Empty("2026-01-01")));
    }

    [Fact]
    public void A_standing_reads_back_from_its_key()
    {
        foreach (var c in Generated(50, seed: 3))
            Assert.Equal(ComplianceStanding.Of(c), ComplianceStanding.FromKey(ComplianceStanding.Of(c).CompletedOn, ComplianceStanding.Of(c).Key));
    }
}
