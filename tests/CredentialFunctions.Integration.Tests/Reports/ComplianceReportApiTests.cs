using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using CredentialFunctions.Application;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;
using CredentialFunctions.Testing.Api;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using UglyToad.PdfPig;

namespace CredentialFunctions.Integration.Tests.Reports;

public class ComplianceReportApiTests
{
    /// <summary>A host of its own (its own database), so the tallies hold only what the test wrote.</summary>
    private static Task<ApiHost> StartAsync() => ApiHost.StartAsync();

    /// <summary>The access log's entries of the test caller's reads of a resource.</summary>
    private static async Task<List<JObject>> ReadsAsync(ApiHost host, string resource)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.callerId = @caller AND STARTSWITH(c.resource, @resource)")
            .WithParameter("@caller", "user:tester").WithParameter("@resource", resource);
        using var iterator = host.Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.AccessLog)
            .GetItemQueryIterator<JObject>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("user:tester") });
        var entries = new List<JObject>();
        while (iterator.HasMoreResults) entries.AddRange(await iterator.ReadNextAsync());
        return entries;
    }

    /// <summary>Credentials completed over the last 400 days in three teams, every fourth revoked after its write: written through the app's own store.</summary>
    private static async Task<List<Credential>> WriteAsync(ApiHost host, int count)
    {
        var store = host.Services.GetRequiredService<ICredentialStore>();
        var now = DateTimeOffset.UtcNow;
        var program = A.Program(at: now.AddDays(-500));
        var written = new List<Credential>();
        for (var i = 0; i < count; i++)
        {
            var completedAt = now.AddDays(-400 + i * 397.0 / count);
            var credential = A.Credential(program, completedAt, seed: 1000 + i, placement: new Placement(i % 3 == 0 ? "=HYPERLINK(\"x\")" : $"Team {i % 3}", "c", "s"));
            Assert.True(await store.TryCreateAsync(credential, CancellationToken.None));
            if (i % 4 == 0)
            {
                var read = (await store.GetAsync(credential.CertificateId, CancellationToken.None))!;
                credential = credential.Revoke(completedAt.AddDays(1), "pm", "Fraud.").Credential;
                await store.ReplaceAsync(credential, read.ETag, CancellationToken.None);
            }
            written.Add(credential);
        }
        return written;
    }

    private static int Expected(IEnumerable<Credential> credentials, string team, string measure, DateTimeOffset at)
        => credentials.Where(c => c.Placement.Team == team).Count(c => ComplianceStanding.Of(c).MeasuresAt(at).Select(ComplianceReports.NameOf).Contains(measure));

    [Fact]
    public async Task The_report_counts_what_was_written_in_every_form_and_its_digest_checks()
    {
        await using var host = await StartAsync();
        var credentials = await WriteAsync(host, 30);

        var json = await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=team", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var report = (await json.Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
        Assert.Equal(3, report.Groups.Count);
        foreach (var row in report.Groups)
            foreach (var measure in report.Measures)
                Assert.Equal(Expected(credentials, row.Group, measure, report.IssuedAt), row.Counts[measure]);
        Assert.Equal(30, report.Total.Counts["active"] + report.Total.Counts["inGrace"] + report.Total.Counts["lapsed"] + report.Total.Counts["revoked"]);
        Assert.Contains(await ReadsAsync(host, ComplianceReports.Resource), r => (string?)r["query"] == "groupBy=team");

        var checkedReport = await host.SendAsync(HttpMethod.Get, $"/api/reports/compliance/digests/{report.Digest}", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.OK, checkedReport.StatusCode);
        Assert.Equal(report.Digest, (await checkedReport.Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!.Digest);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"/api/reports/compliance/digests/{new string('0', 64)}", role: Role.Auditor)).StatusCode);

        var csv = await (await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=team&format=csv", role: Role.ProgramManager)).Content.ReadAsStringAsync();
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\")\"", csv);
        Assert.DoesNotContain("\n=", csv);

        var from = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-300));
        var html = await host.SendAsync(HttpMethod.Get, $"/api/reports/compliance?groupBy=team&from={from:yyyy-MM-dd}&format=html", role: Role.Auditor);
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        var page = new HtmlParser().ParseDocument(await html.Content.ReadAsStringAsync());
        Assert.Equal(from.ToString("yyyy-MM-dd"), page.GetElementById("from")!.TextContent);
        Assert.Equal("team", page.GetElementById("group-by")!.TextContent);
        Assert.NotNull(page.QuerySelector("svg#chart rect"));
        var digest = page.GetElementById("digest")!.TextContent;
        var printed = (await (await host.SendAsync(HttpMethod.Get, $"/api/reports/compliance/digests/{digest}", role: Role.Auditor)).Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
        var withinRange = credentials.Where(c => DateOnly.FromDateTime(c.Completion.CompletedAt.UtcDateTime) >= from).ToList();
        foreach (var row in page.QuerySelectorAll("#counts tbody tr"))
            foreach (var cell in row.QuerySelectorAll("td[data-measure]"))
                Assert.Equal(Expected(withinRange, row.GetAttribute("data-group")!, cell.GetAttribute("data-measure")!, printed.IssuedAt).ToString(), cell.TextContent);

        var pdf = await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=team&to=2099-12-31&format=pdf", role: Role.Administrator);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        using var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        var pdfDigest = System.Text.RegularExpressions.Regex.Match(text, "Digest \\(SHA-256\\): ?([0-9a-f]{64})").Groups[1].Value;
        var issued = (await (await host.SendAsync(HttpMethod.Get, $"/api/reports/compliance/digests/{pdfDigest}", role: Role.Auditor)).Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
        Assert.Contains("Completed to: 2099-12-31", text);
        Assert.Contains("Grouped by: team", text);
        var words = document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
        foreach (var row in issued.Groups.Append(issued.Total))
            foreach (var measure in issued.Measures)
                Assert.Contains(row.Counts[measure].ToString(), words);
    }

    [Theory]
    [InlineData("groupBy=department", "groupBy")]
    [InlineData("", "groupBy")]
    [InlineData("groupBy=team&from=2026-05-01&to=2026-04-01", "to")]
    [InlineData("groupBy=team&from=yesterday", "from")]
    [InlineData("groupBy=team&format=xlsx", "format")]
    public async Task A_bad_query_is_a_validation_problem_naming_the_field_and_issues_nothing(string query, string field)
    {
        await using var host = await StartAsync();
        var response = await host.SendAsync(HttpMethod.Get, $"/api/reports/compliance?{query}", role: Role.Auditor);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal("urn:credential-functions:problem:validation", problem!["type"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty(await ReadsAsync(host, ComplianceReports.Resource));
    }

    [Fact]
    public async Task A_learner_may_not_read_a_compliance_report()
    {
        await using var host = await StartAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=team", role: Role.Learner, learnerId: "lms:1")).StatusCode);
    }

    [Fact]
    public async Task Credentials_written_at_once_to_one_day_are_each_counted()
    {
        await using var host = await StartAsync();
        var store = host.Services.GetRequiredService<ICredentialStore>();
        var program = A.Program();
        // Three times as many as the day has shards, so some shard takes concurrent writes whatever the ids.
        const int written = 3 * ComplianceTally.Shards;
        await Task.WhenAll(Enumerable.Range(0, written).Select(i => store.TryCreateAsync(A.Credential(program, A.Jan1, seed: 50 + i), CancellationToken.None)));
        var tallies = await host.Services.GetRequiredService<IComplianceTallies>().BetweenAsync(null, null, CancellationToken.None);
        Assert.Single(tallies.Select(t => t.Value.Day).Distinct());
        Assert.Equal(written, tallies.Sum(t => t.Value.Credentials));
    }

    [Fact]
    public async Task A_change_through_the_updater_moves_its_count_from_the_version_it_replaced()
    {
        await using var host = await StartAsync();
        var credentials = await WriteAsync(host, 3);
        var updater = host.Services.GetRequiredService<CredentialUpdater>();

        var now = DateTimeOffset.UtcNow;

        // At once, and each the record's second write since it was read: the count moves from the version each replace read.
        await Task.WhenAll(
            updater.UpdateAsync(credentials[1].CertificateId, c => c.Revoke(now, "admin", "Fraud."), CancellationToken.None),
            updater.UpdateAsync(credentials[2].CertificateId, c => c.Suspend(now, "admin", "Inquiry."), CancellationToken.None));

        var report = (await (await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=program", role: Role.Auditor)).Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
        // The first was revoked when written.
        Assert.Equal((2, 1), (report.Total.Counts["revoked"], report.Total.Counts["suspended"]));
        Assert.Empty((await host.Services.GetRequiredService<ComplianceRecount>().RunAsync(CancellationToken.None)).Drift);
    }

    [Fact]
    public async Task The_recount_finds_injected_drift_fixes_it_and_then_finds_none()
    {
        await using var host = await StartAsync();
        var credentials = await WriteAsync(host, 12);
        var tallies = host.Services.GetRequiredService<IComplianceTallies>();
        var recount = host.Services.GetRequiredService<ComplianceRecount>();
        Assert.Empty((await recount.RunAsync(CancellationToken.None)).Drift);

        var stored = (await tallies.BetweenAsync(null, null, CancellationToken.None))[0];
        var drifted = stored.Value.With(credentials[1], 5);
        await tallies.ReplaceAsync(drifted, stored.ETag, CancellationToken.None);
        var stray = ComplianceTally.Empty("2020-01-01").With(credentials[2], 1);
        Assert.True(await tallies.TryCreateAsync(stray, CancellationToken.None));

        var found = await recount.RunAsync(CancellationToken.None);
        Assert.Equal(12, found.Credentials);
        Assert.Equal(2, found.Drift.Count);
        Assert.All(found.Drift, d => Assert.True(d.Fixed));
        Assert.Contains(found.Drift, d => d.Day == "2020-01-01" && d.Held == 1 && d.Counted == 0);
        Assert.Empty((await recount.RunAsync(CancellationToken.None)).Drift);
        var report = (await (await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=cohort", role: Role.Auditor)).Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
        Assert.Equal(12, report.Total.Counts["active"] + report.Total.Counts["inGrace"] + report.Total.Counts["lapsed"] + report.Total.Counts["revoked"]);
    }
}
