using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Domain.Tests;

public class ComplianceTallyTests
{
    private static readonly string[] Teams = ["Blue", "Green", ""];

    /// <summary>Credentials completed over two years, a third revoked, lapsed or renewed-late in grace, in three teams (one unnamed).</summary>
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
                _ => credential,
            };
            credentials.Add(credential);
        }
        return credentials;
    }

    /// <summary>The oracle: each credential's status at the instant, from the domain's own StatusAt, counted one by one.</summary>
    private static Dictionary<ComplianceMeasure, int> BruteForce(IEnumerable<Credential> credentials, DateTimeOffset at)
    {
        var counts = ComplianceCounts.Measures.ToDictionary(m => m, _ => 0);
        foreach (var c in credentials)
        {
            switch (c.StatusAt(at))
            {
                case CredentialStatus.Active or CredentialStatus.InRenewalWindow:
                    counts[ComplianceMeasure.Active]++;
                    var left = c.ExpiresAt!.Value - at;
                    if (left <= TimeSpan.FromDays(30)) counts[ComplianceMeasure.DueWithin30Days]++;
                    if (left <= TimeSpan.FromDays(60)) counts[ComplianceMeasure.DueWithin60Days]++;
                    if (left <= TimeSpan.FromDays(90)) counts[ComplianceMeasure.DueWithin90Days]++;
                    break;
                case CredentialStatus.InGrace: counts[ComplianceMeasure.InGrace]++; break;
                case CredentialStatus.Lapsed: counts[ComplianceMeasure.Lapsed]++; break;
                case CredentialStatus.Revoked: counts[ComplianceMeasure.Revoked]++; break;
                case CredentialStatus.Superseded: counts[ComplianceMeasure.Superseded]++; break;
            }
        }
        return counts;
    }

    private static Dictionary<string, ComplianceCounts> Tallied(IEnumerable<Credential> credentials, DateTimeOffset at, DateOnly? from = null, DateOnly? to = null)
    {
        var tallies = new Dictionary<string, ComplianceTally>();
        foreach (var c in credentials)
        {
            var key = TallyKey.Of(ReportDimension.Team, c);
            tallies[key.Id] = (tallies.GetValueOrDefault(key.Id) ?? ComplianceTally.Empty(key)).With(ComplianceStanding.Of(c), 1);
        }
        var byGroup = new Dictionary<string, ComplianceCounts>();
        foreach (var tally in tallies.Values)
        {
            if (!byGroup.TryGetValue(tally.Key.Group, out var counts)) byGroup[tally.Key.Group] = counts = new ComplianceCounts();
            tally.AddTo(counts, at, from, to);
        }
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
            var expected = BruteForce(credentials.Where(c => ReportDimension.Team.GroupOf(c) == team), at);
            foreach (var measure in ComplianceCounts.Measures) Assert.Equal(expected[measure], tallied[team][measure]);
        }
    }

    [Fact]
    public void A_credential_counts_as_due_within_30_days_from_the_very_instant_30_days_before_its_expiry()
    {
        var credential = A.Credential(A.Program());
        var crossing = credential.ExpiresAt!.Value.AddDays(-30);
        Assert.Equal(0, Tallied([credential], crossing.AddTicks(-1))["Blue"][ComplianceMeasure.DueWithin30Days]);
        Assert.Equal(BruteForce([credential], crossing)[ComplianceMeasure.DueWithin30Days], Tallied([credential], crossing)["Blue"][ComplianceMeasure.DueWithin30Days]);
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
            var expected = BruteForce(within.Where(c => ReportDimension.Team.GroupOf(c) == team), at);
            foreach (var measure in ComplianceCounts.Measures) Assert.Equal(expected[measure], tallied[team][measure]);
        }
    }

    [Fact]
    public void A_standing_reads_back_from_its_key()
    {
        foreach (var c in Generated(50, seed: 3))
            Assert.Equal(ComplianceStanding.Of(c), ComplianceStanding.FromKey(ComplianceStanding.Of(c).Key));
    }
}
