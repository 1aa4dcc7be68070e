using System.Net;
using System.Net.Http.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Reports;

/// <summary>
/// The report and its drill-down on a clock the test moves, over generated credentials written
/// through the app's store (created, then revoked, suspended or lapsed by a replace): at each instant
/// both must equal a brute-force count of the records by <see cref="Credential.StatusAt"/>, with no
/// write between the instants.
/// </summary>
public sealed class ComplianceReportClockTests : IAsyncLifetime
{
    private static readonly string?[] Teams = ["Blue", "Red", null];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly List<Credential> _credentials = [];
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiHost.StartAsync(overrides: services => services.AddSingleton<TimeProvider>(_clock));
        var store = _host.Services.GetRequiredService<ICredentialStore>();
        var now = _clock.GetUtcNow();
        var program = A.Program(at: now.AddYears(-3));
        var random = new Random(20270301);
        for (var i = 0; i < 48; i++)
        {
            var completedAt = now.AddMinutes(-random.Next(0, 60 * 24 * 600));
            var credential = A.Credential(program, completedAt, seed: 3000 + i, placement: new Placement(Teams[i % Teams.Length], $"cohort {i % 2}", "Site 1"));
            Assert.True(await store.TryCreateAsync(credential, CancellationToken.None));
            var changed = random.Next(8) switch
            {
                0 => credential.Revoke(completedAt.AddDays(2), "user:pm", "Fraud.").Credential,
                1 => credential.Suspend(completedAt.AddDays(3), "user:pm", "Under investigation.").Credential,
                2 when credential.Schedule is { } s && s.GraceEndsAt < now => credential.Lapse(s.GraceEndsAt).Credential,
                _ => null,
            };
            if (changed is not null)
            {
                await store.ReplaceAsync(changed, (await store.GetAsync(credential.CertificateId, CancellationToken.None))!.ETag, CancellationToken.None);
                credential = changed;
            }
            _credentials.Add(credential);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A Blue credential valid now that expires later than 30 days hence: the instants it crosses are the ones checked.</summary>
    private Credential Pivot => _credentials
        .Where(c => c.Placement.Team == "Blue" && c.StatusAt(_clock.GetUtcNow()) is CredentialStatus.Active or CredentialStatus.InRenewalWindow)
        .Where(c => c.ExpiresAt > _clock.GetUtcNow().AddDays(31))
        .MinBy(c => c.ExpiresAt)!;

    private IEnumerable<Credential> InTeam(string group) => _credentials.Where(c => (c.Placement.Team ?? "") == group);

    private async Task<ComplianceReport> ReportAsync()
    {
        var response = await _host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=team", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
    }

    /// <summary>Every page of the drill-down, following its tokens, as certificate ids in the order listed.</summary>
    private async Task<List<string>> LearnersAsync(string group, string measure, Action? betweenPages = null)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var path = $"/api/reports/compliance/learners?groupBy=team&group={group}&measure={measure}&pageSize=4"
                       + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
            var response = await _host.SendAsync(HttpMethod.Get, path, role: Role.Auditor);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<SearchPage>(CredentialJson.Options))!;
            ids.AddRange(page.Items.Select(i => i.CertificateId));
            token = page.ContinuationToken;
            betweenPages?.Invoke();
        } while (token is not null);
        return ids;
    }

    private void AssertReportIsTheBruteForceCount(ComplianceReport report)
    {
        Assert.Equal(_clock.GetUtcNow(), report.IssuedAt);
        Assert.Equal(["", "Blue", "Red"], report.Groups.Select(g => g.Group));
        foreach (var row in report.Groups)
        {
            var expected = ComplianceOracle.Count(InTeam(row.Group), report.IssuedAt);
            foreach (var measure in Enum.GetValues<ComplianceMeasure>())
                Assert.True(expected[measure] == row.Counts[ComplianceReports.NameOf(measure)],
                    $"{row.Group} {measure} at {report.IssuedAt:O}: counted {row.Counts[ComplianceReports.NameOf(measure)]}, there are {expected[measure]}.");
        }
    }

    [Fact]
    public async Task At_every_instant_the_counts_and_the_learners_behind_them_are_the_records_as_they_stand_then()
    {
        var pivot = Pivot;
        var crossing = pivot.ExpiresAt!.Value.AddDays(-30);
        var graceEnd = pivot.Schedule!.GraceEndsAt;
        DateTimeOffset[] instants = [_clock.GetUtcNow(), crossing.AddTicks(-1), crossing, pivot.ExpiresAt.Value, graceEnd.AddTicks(-1), graceEnd, graceEnd.AddDays(200)];
        var counts30 = new List<int>();
        foreach (var at in instants)
        {
            _clock.SetUtcNow(at);
            var report = await ReportAsync();
            AssertReportIsTheBruteForceCount(report);
            counts30.Add(report.Groups.Single(g => g.Group == "Blue").Counts["dueWithin30Days"]);
        }
        // The pivot really crossed: one more due within 30 days at the very tick, with no write.
        Assert.Equal(counts30[1] + 1, counts30[2]);

        _clock.SetUtcNow(instants[^1]);
        // "" is the records that name no team: the report's "(none)" row, listed by an empty group.
        foreach (var group in new[] { "Blue", "" })
        foreach (var measure in new[] { ComplianceMeasure.Active, ComplianceMeasure.Lapsed, ComplianceMeasure.Revoked, ComplianceMeasure.Suspended })
        {
            var listed = await LearnersAsync(group, ComplianceReports.NameOf(measure));
            Assert.Equal(listed.Count, listed.Distinct().Count());
            Assert.Equal(InTeam(group).Where(c => ComplianceOracle.MeasuresOf(c, _clock.GetUtcNow()).Contains(measure)).Select(c => c.CertificateId.ToString()).Order(), listed.Order());
        }
        Assert.NotEmpty(await LearnersAsync("", ComplianceReports.NameOf(ComplianceMeasure.Lapsed)));
    }

    [Fact]
    public async Task The_learners_due_within_30_days_are_listed_at_the_first_pages_instant_however_long_the_paging_takes()
    {
        var pivot = Pivot;
        _clock.SetUtcNow(pivot.ExpiresAt!.Value.AddDays(-30));
        var asked = _clock.GetUtcNow();
        var expected = InTeam("Blue").Where(c => ComplianceOracle.MeasuresOf(c, asked).Contains(ComplianceMeasure.DueWithin30Days)).Select(c => c.CertificateId.ToString()).ToList();
        Assert.Contains(pivot.CertificateId.ToString(), expected);

        // Each page is read 20 days after the one before: later pages still judge at the first page's instant.
        var listed = await LearnersAsync("Blue", "dueWithin30Days", () => _clock.Advance(TimeSpan.FromDays(20)));

        Assert.Equal(expected.Order(), listed.Order());
        Assert.Equal(listed.Count, listed.Distinct().Count());
        var report = (await (await _host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=team", role: Role.Auditor)).Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
        AssertReportIsTheBruteForceCount(report);
    }

    [Theory]
    [InlineData("groupBy=team&measure=overdue", "measure")]
    [InlineData("groupBy=team", "measure")]
    [InlineData("groupBy=team&measure=active&pageSize=0", "pageSize")]
    [InlineData("groupBy=team&measure=active&pageSize=201", "pageSize")]
    [InlineData("groupBy=floor&measure=active", "groupBy")]
    [InlineData("groupBy=team&measure=active&continuationToken=bm90LWEtdG9rZW4", "continuationToken")]
    public async Task A_bad_drill_down_is_a_validation_problem_naming_the_field(string query, string field)
    {
        var response = await _host.SendAsync(HttpMethod.Get, $"/api/reports/compliance/learners?{query}", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal("urn:credential-functions:problem:validation", problem!["type"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_token_from_one_number_does_not_page_another()
    {
        var first = await _host.SendAsync(HttpMethod.Get, "/api/reports/compliance/learners?groupBy=team&measure=active&pageSize=1", role: Role.Auditor);
        var token = (await first.Content.ReadFromJsonAsync<SearchPage>(CredentialJson.Options))!.ContinuationToken!;
        var other = await _host.SendAsync(HttpMethod.Get, $"/api/reports/compliance/learners?groupBy=team&group=Red&measure=active&pageSize=1&continuationToken={Uri.EscapeDataString(token)}", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.SendAsync(HttpMethod.Get, "/api/reports/compliance/learners?groupBy=team&measure=active", role: Role.Learner, learnerId: "lms:1")).StatusCode);
    }
}
