using System.Net;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Bulk;

/// <summary>
/// Bulk issuance through the API, run to its end by the host's in-process Durable backend against
/// the local Cosmos server: every learner goes through the issuance path, so the holding, the
/// renewal window and the counts the status route reads all hold.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BulkIssuanceApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    [Fact]
    public async Task A_cohort_of_1000_is_issued_in_batches_with_each_failure_reported_per_learner_and_a_rerun_issues_nothing_new()
    {
        var programId = await _api.CreateProgramAsync();
        // Every tenth learner scored under the program's pass mark of 70.
        var learners = Cohort.Learners("k", 1000, failEvery: 10);
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var first = await RunToEndAsync(programId, Cohort.Json(learners));

        Assert.Equal((1000, 1000, 900, 0, 100, 0), Counts(first));
        var failures = first.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => i * 10), failures.Select(f => f.GetProperty("row").GetInt32()));
        Assert.All(failures, f => Assert.Contains("below the program's pass threshold", f.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Equal("k-000010", failures[0].GetProperty("externalId").GetString());
        var issued = await CertificatesOfAsync(programId);
        Assert.Equal(900, issued.Count);
        Assert.Equal(before + 900, await _api.CountAsync(CosmosLayout.Credentials));
        // Each new credential's renewal window was started, which sends its issuance notice.
        Assert.All(issued, id => Assert.Equal(["start"], fixture.Windows.CallsFor(id)));
        var record = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{issued[0]}", role: Role.Auditor));
        var issuedEntry = record.GetProperty("auditTrail").EnumerateArray().First();
        Assert.Equal("user:tester", issuedEntry.GetProperty("actor").GetString());
        Assert.Contains(first.GetProperty("runId").GetString()!, issuedEntry.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var rerun = await RunToEndAsync(programId, Cohort.Json(learners));

        Assert.Equal((1000, 1000, 0, 900, 100, 0), Counts(rerun));
        Assert.Equal(before + 900, await _api.CountAsync(CosmosLayout.Credentials));
        Assert.All(issued, id => Assert.Equal(["start"], fixture.Windows.CallsFor(id)));
    }

    [Fact]
    public async Task A_CSV_upload_with_its_columns_in_any_order_and_case_is_issued_and_the_run_names_the_file()
    {
        var programId = await _api.CreateProgramAsync();
        var at = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyy-MM-dd");
        var csv = $"""
            Score,EMAIL,externalId,fullLegalName,completedAt,team
            91,csv.1@example.org,csv-1,"Lovelace, Ada",{at},Blue
            77.5,csv.2@example.org,csv-2,Grace Hopper,{at}T09:30:00Z,
            """;

        var status = await RunToEndAsync(programId, Cohort.Csv(csv, "autumn-cohort.csv"));

        Assert.Equal((2, 2, 2, 0, 0, 0), Counts(status));
        Assert.Equal("CSV file autumn-cohort.csv", status.GetProperty("source").GetString());
        var names = new List<string>();
        foreach (var id in await CertificatesOfAsync(programId))
            names.Add((await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/verify/{id}"))).GetProperty("holderName").GetString()!);
        Assert.Equal(["Grace Hopper", "Lovelace, Ada"], names.Order());
    }

    [Fact]
    public async Task A_cohort_racing_LMS_passes_of_the_same_learners_issues_each_learner_one_credential()
    {
        var programId = await _api.CreateProgramAsync();
        var learners = Cohort.Learners("race", 40);
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var cohort = RunToEndAsync(programId, Cohort.Json(learners));
        var passes = await Task.WhenAll(learners.Select(async l =>
        {
            var completion = Bodies.Completion(programId).With("learner", new Dictionary<string, object?>
            {
                ["externalId"] = l["externalId"], ["fullLegalName"] = l["fullLegalName"], ["email"] = l["email"],
            });
            using var response = await _api.Client.SendAsync(_api.SignedLms(JsonSerializer.Serialize(completion, CredentialJson.Options)));
            var answer = await ApiHost.ReadJsonAsync(response);
            Assert.True(response.IsSuccessStatusCode, answer.ToString());
            return (Action: answer.GetProperty("action").GetString(), CertificateId: answer.GetProperty("certificateId").GetString());
        }));
        var status = await cohort;

        Assert.Equal(before + 40, await _api.CountAsync(CosmosLayout.Credentials));
        var credentials = await CertificatesOfAsync(programId);
        Assert.Equal(40, credentials.Count);
        // Every answer names the learner's one credential. Each learner was issued it by one side and found it held by the
        // other, or, where the two reached the first credential's create at once, both answer issued: one credential, one id.
        Assert.Equal(credentials.Order(), passes.Select(p => p.CertificateId!).Order());
        var (lmsIssued, lmsHeld) = (passes.Count(p => p.Action == "issued"), passes.Count(p => p.Action == "alreadyHeld"));
        Assert.Equal(40, lmsIssued + lmsHeld);
        Assert.Equal(40, status.GetProperty("issued").GetInt32() + status.GetProperty("alreadyHeld").GetInt32());
        Assert.InRange(status.GetProperty("alreadyHeld").GetInt32(), 0, lmsIssued);
        Assert.InRange(lmsHeld, 0, status.GetProperty("issued").GetInt32());
    }

    [Fact]
    public async Task Cancelling_a_finished_run_changes_nothing()
    {
        var programId = await _api.CreateProgramAsync();
        var status = await RunToEndAsync(programId, Cohort.Json(Cohort.Learners("done", 3)));
        var runId = status.GetProperty("runId").GetString();

        using var response = await _api.SendAsync(HttpMethod.Post, $"/api/programs/{programId}/issuances/{runId}/cancel", role: Role.ProgramManager);
        var cancelled = await ApiHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((3, 3, 3, 0, 0, 0), Counts(cancelled));
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("cancelRequestedAt").ValueKind);
    }

    [Fact]
    public async Task A_finished_run_keeps_no_learners_rows_only_its_counts_and_failures()
    {
        var programId = await _api.CreateProgramAsync();

        var status = await RunToEndAsync(programId, Cohort.Json(Cohort.Learners("rows", 3, failEvery: 3)));

        Assert.Equal((3, 3, 2, 0, 1, 0), Counts(status));
        Assert.Equal("rows-000003", Assert.Single(status.GetProperty("failures").EnumerateArray()).GetProperty("externalId").GetString());
        var runId = status.GetProperty("runId").GetString()!;
        Assert.DoesNotContain(await _api.DocumentsAsync(CosmosLayout.CohortRuns), d => d.Contains(runId, StringComparison.Ordinal) && d.Contains("@example.org", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, HttpStatusCode, string, string[]> BadCohorts => new()
    {
        { "not JSON", "application/json", HttpStatusCode.BadRequest, "validation", ["body"] },
        { """{"rows": []}""", "application/json", HttpStatusCode.BadRequest, "validation", ["learners"] },
        { """{"learners": []}""", "application/json", HttpStatusCode.BadRequest, "validation", ["rows"] },
        { "externalId,fullLegalName", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", [] },
        { "externalId,fullLegalName,email,score\nx,Ada,ada@example.org,90", "text/csv", HttpStatusCode.BadRequest, "validation", ["header"] },
        { "externalId,fullLegalName,email,completedAt,score\nx,Ada,ada@example.org,last tuesday,90\ny,Bo,bo@example.org,2026-01-05,ninety", "text/csv",
            HttpStatusCode.BadRequest, "validation", ["rows[1].completedAt", "rows[2].score"] },
    };

    [Theory]
    [MemberData(nameof(BadCohorts))]
    public async Task A_malformed_cohort_is_refused_as_a_problem_and_nothing_is_started(string body, string mediaType, HttpStatusCode status, string type, string[] fields)
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await StartRawAsync(programId, new StringContent(body, Encoding.UTF8, mediaType)), status, type);

        foreach (var field in fields) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} in {problem}");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task Every_bad_row_is_named_by_its_number_and_nothing_is_started()
    {
        var programId = await _api.CreateProgramAsync();
        var learners = Cohort.Learners("bad", 5);
        learners[1]["email"] = "not an address";
        learners[2]["score"] = 120;
        learners[3]["externalId"] = learners[0]["externalId"];
        learners[4]["completedAt"] = DateTimeOffset.UtcNow.AddDays(3);
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await StartRawAsync(programId, Cohort.Json(learners)), HttpStatusCode.BadRequest, "validation");

        Assert.Equal(["rows[2].email", "rows[3].score", "rows[4].externalId", "rows[5].completedAt"],
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("row 1", problem.GetProperty("errors").GetProperty("rows[4].externalId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_cohort_for_an_unknown_program_or_from_the_wrong_role_is_refused_and_nothing_is_started()
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.SnapshotCountsAsync();

        await Problem.AssertAsync(await StartRawAsync("prg-NOSUCHPROGRAM", Cohort.Json(Cohort.Learners("who", 2))), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await StartRawAsync(programId, Cohort.Json(Cohort.Learners("who", 2)), Role.Auditor), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await StartRawAsync(programId, Cohort.Json(Cohort.Learners("who", 2)), role: null), HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_run_is_found_only_under_its_own_program_and_a_failures_token_it_never_gave_is_refused()
    {
        var programId = await _api.CreateProgramAsync();
        var other = await _api.CreateProgramAsync();
        var runId = (await RunToEndAsync(programId, Cohort.Json(Cohort.Learners("where", 1)))).GetProperty("runId").GetString();

        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/programs/{other}/issuances/{runId}", role: Role.Auditor), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/programs/{programId}/issuances/run-NOSUCHRUN", role: Role.Auditor), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, $"/api/programs/{other}/issuances/{runId}/cancel", role: Role.ProgramManager), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/programs/{programId}/issuances/{runId}?failures=abc", role: Role.Auditor), HttpStatusCode.BadRequest, "validation");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, $"/api/programs/{programId}/issuances/{runId}/cancel", role: Role.Auditor), HttpStatusCode.Forbidden, "forbidden");
    }

    private static (int Total, int Done, int Issued, int AlreadyHeld, int Failed, int Cancelled) Counts(JsonElement status)
        => (status.GetProperty("total").GetInt32(), status.GetProperty("done").GetInt32(), status.GetProperty("issued").GetInt32(),
            status.GetProperty("alreadyHeld").GetInt32(), status.GetProperty("failed").GetInt32(), status.GetProperty("cancelled").GetInt32());

    private async Task<JsonElement> RunToEndAsync(string programId, HttpContent cohort)
    {
        using var response = await StartRawAsync(programId, cohort);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return await _api.ReadUntilAsync(response.Headers.Location!.ToString(), s => s.GetProperty("finished").GetBoolean());
    }

    private async Task<HttpResponseMessage> StartRawAsync(string programId, HttpContent cohort, Role? role = Role.ProgramManager)
    {
        var request = _api.Request(HttpMethod.Post, $"/api/programs/{programId}/issuances", role: role);
        request.Content = cohort;
        return await _api.Client.SendAsync(request);
    }

    private Task<List<string>> CertificatesOfAsync(string programId) => Cohort.CertificatesOfAsync(_api, programId);
}

/// <summary>Cohorts as a program manager sends them, and what a test reads back about a run.</summary>
internal static class Cohort
{
    /// <param name="failEvery">Every so many learners scored 50, under the test program's pass mark.</param>
    public static List<Dictionary<string, object?>> Learners(string prefix, int count, int failEvery = 0) => [.. Enumerable.Range(1, count).Select(i => new Dictionary<string, object?>
    {
        ["externalId"] = $"{prefix}-{i:D6}",
        ["fullLegalName"] = $"Learner {prefix} {i}",
        ["email"] = $"{prefix}.{i}@example.org",
        ["completedAt"] = DateTimeOffset.UtcNow.AddDays(-1),
        ["score"] = failEvery > 0 && i % failEvery == 0 ? 50 : 88,
        ["cohort"] = "2026-Q4",
    })];

    public static HttpContent Json(IEnumerable<Dictionary<string, object?>> learners) => ApiHost.Json(new { learners });

    public static HttpContent Csv(string csv, string fileName)
    {
        var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        content.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = fileName };
        return content;
    }

    /// <summary>The certificate ids of a program's credentials, straight from the store.</summary>
    public static async Task<List<string>> CertificatesOfAsync(ApiHost api, string programId)
    {
        var container = api.Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.Credentials);
        using var iterator = container.GetItemQueryIterator<string>(new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.program.programId = @p").WithParameter("@p", programId));
        var ids = new List<string>();
        while (iterator.HasMoreResults) ids.AddRange(await iterator.ReadNextAsync());
        return ids;
    }
}
