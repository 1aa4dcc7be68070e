using System.Net;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Integrations;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class LmsWebhookApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private Task<HttpResponseMessage> PostAsync(object body, DateTimeOffset? signedAt = null)
        => _api.Client.SendAsync(_api.SignedLms(body as string ?? JsonSerializer.Serialize(body, CredentialJson.Options), signedAt));

    [Fact]
    public async Task A_passing_completion_issues_a_credential_under_the_current_program_version()
    {
        var programId = await _api.CreateProgramAsync(Bodies.Program(passThreshold: 70, validity: "P2Y"));
        var completedAt = DateTimeOffset.UtcNow.AddHours(-1);
        var response = await PostAsync(Bodies.Completion(programId, score: 70, completedAt: completedAt));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var result = await ApiHost.ReadJsonAsync(response);
        Assert.Equal(("passed", "issued", 1), (result.GetProperty("outcome").GetString(), result.GetProperty("action").GetString(), result.GetProperty("programVersion").GetInt32()));
        var certificateId = result.GetProperty("certificateId").GetString()!;
        Assert.Equal($"/api/credentials/{certificateId}", response.Headers.Location?.ToString());

        var record = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));
        Assert.Equal("Ada King Lovelace", record.GetProperty("holder").GetProperty("legalName").GetString());
        Assert.Equal(70m, record.GetProperty("completion").GetProperty("score").GetDecimal());
        // Validity runs from the day the learner earned it, not from when the LMS got round to reporting it.
        Assert.Equal(completedAt.AddYears(2), record.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(2.5m, record.GetProperty("creditsEarned")[0].GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task The_same_event_twice_issues_once_and_answers_the_same()
    {
        var programId = await _api.CreateProgramAsync();
        var body = Bodies.Completion(programId);
        var first = await PostAsync(body);
        var countAfterFirst = await _api.CountAsync(CosmosLayout.Credentials);

        var second = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(countAfterFirst, await _api.CountAsync(CosmosLayout.Credentials));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_issue_one_credential()
    {
        var programId = await _api.CreateProgramAsync();
        var body = JsonSerializer.Serialize(Bodies.Completion(programId), CredentialJson.Options);
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _api.Client.SendAsync(_api.SignedLms(body))));

        var ids = await Task.WhenAll(responses.Select(async r => (await ApiHost.ReadJsonAsync(r)).GetProperty("certificateId").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(before + 1, await _api.CountAsync(CosmosLayout.Credentials));
    }

    [Fact]
    public async Task A_holders_pass_in_the_renewal_window_renews_their_credential_by_retake_instead_of_issuing_another()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-340)));
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var body = Bodies.Completion(programId, score: 93);
        var response = await PostAsync(body);
        var replay = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await ApiHost.ReadJsonAsync(response);
        Assert.Equal(("renewed", certificateId), (result.GetProperty("action").GetString(), result.GetProperty("certificateId").GetString()));
        Assert.Equal(await response.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Credentials));
        var record = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));
        Assert.Equal(2, record.GetProperty("cycle").GetInt32());
        Assert.Equal("retakeExam", Assert.Single(record.GetProperty("renewalHistory").EnumerateArray()).GetProperty("pathway").GetString());
        Assert.Equal(["start", "Renewed", "start", "Renewed", "start"], fixture.Windows.CallsFor(certificateId));
    }

    [Fact]
    public async Task A_holders_pass_before_the_window_opens_changes_nothing()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);
        var record = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));

        var result = await ApiHost.ReadJsonAsync(await PostAsync(Bodies.Completion(programId, score: 99)));

        Assert.Equal(("alreadyHeld", certificateId), (result.GetProperty("action").GetString(), result.GetProperty("certificateId").GetString()));
        Assert.Equal(record.ToString(), (await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor))).ToString());
    }

    [Fact]
    public async Task A_pass_after_revocation_issues_a_new_credential()
    {
        var programId = await _api.CreateProgramAsync();
        var revoked = await _api.IssueAsync(programId);
        await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{revoked}/revocation", new { reason = "Exam misconduct" }, Role.ProgramManager);

        var response = await PostAsync(Bodies.Completion(programId));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual(revoked, (await ApiHost.ReadJsonAsync(response)).GetProperty("certificateId").GetString());
    }

    [Fact]
    public async Task A_score_below_the_threshold_records_a_fail_and_issues_nothing()
    {
        var programId = await _api.CreateProgramAsync(Bodies.Program(passThreshold: 70));
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var response = await PostAsync(Bodies.Completion(programId, score: 69.99m));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await ApiHost.ReadJsonAsync(response);
        Assert.Equal("failed", result.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("certificateId").ValueKind);
        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Credentials));
    }

    [Theory]
    [InlineData("practiceTest")]
    [InlineData("benchmarkExam")]
    public async Task Practice_and_benchmark_results_are_recorded_and_never_issue(string kind)
    {
        var programId = await _api.CreateProgramAsync(Bodies.Program(kind: kind, validity: null));
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var result = await ApiHost.ReadJsonAsync(await PostAsync(Bodies.Completion(programId, score: 100)));

        Assert.Equal("recorded", result.GetProperty("outcome").GetString());
        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Credentials));
    }

    public static TheoryData<string, string> BadSignatures => new()
    {
        { "", "missing" },
        { "sha256=abc", "malformed" },
        { "t=12345", "malformed" },
        { "t=now,v1=" + new string('z', 64), "malformed" },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_missing_or_malformed_signature_is_401_and_nothing_is_written(string header, string because)
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.SnapshotCountsAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/lms/completions") { Content = ApiHost.Json(Bodies.Completion(programId)) };
        if (header.Length > 0) request.Headers.TryAddWithoutValidation(WebhookSignature.Header, header);

        var problem = await Problem.AssertAsync(await _api.Client.SendAsync(request), HttpStatusCode.Unauthorized, "bad-signature");

        Assert.Contains(WebhookSignature.Header, problem.GetProperty("detail").GetString());
        Assert.True(before == await _api.SnapshotCountsAsync(), because);
    }

    [Fact]
    public async Task A_body_changed_after_signing_or_signed_with_another_secret_is_401()
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.SnapshotCountsAsync();
        var signed = JsonSerializer.Serialize(Bodies.Completion(programId, score: 40), CredentialJson.Options);

        var tampered = _api.SignedLms(signed);
        tampered.Content = new StringContent(signed.Replace("40", "99", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        var otherSecret = _api.SignedLms(signed, secret: "not-the-secret");

        foreach (var request in new[] { tampered, otherSecret })
        {
            var problem = await Problem.AssertAsync(await _api.Client.SendAsync(request), HttpStatusCode.Unauthorized, "bad-signature");
            Assert.Contains("does not match", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(-60 * 24)]
    [InlineData(6)]
    public async Task A_replayed_old_or_future_dated_signature_is_401(int minutesFromNow)
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.SnapshotCountsAsync();

        var response = await PostAsync(Bodies.Completion(programId), DateTimeOffset.UtcNow.AddMinutes(minutesFromNow));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
        Assert.Contains("timestamp", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    public static TheoryData<string, object?, string> BadFields => new()
    {
        { "score", 100.5m, "score" },
        { "score", -1, "score" },
        { "score", "ninety", "score" },
        { "eventId", "", "eventId" },
        { "eventId", null, "eventId" },
        { "programId", "", "programId" },
        { "completedAt", "yesterday", "completedAt" },
        { "completedAt", DateTimeOffset.UtcNow.AddDays(1), "completedAt" },
        { "learner", new { externalId = "x", fullLegalName = "Ada", email = "not-an-email" }, "learner.email" },
        { "learner", new { externalId = "x", email = "ada@example.org" }, "learner.fullLegalName" },
        { "learner", new { externalId = "", fullLegalName = "Ada", email = "ada@example.org" }, "learner.externalId" },
        { "team", new string('t', 201), "team" },
        { "team", "Blue\r\nBcc: everyone@example.org", "team" },
        { "completedAt", new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), "completedAt" },
        { "learner", new { externalId = "x", fullLegalName = "Ada \u202Eecalevol", email = "ada@example.org" }, "learner.fullLegalName" },
        { "learner", new { externalId = "x", fullLegalName = "Ada\nLovelace", email = "ada@example.org" }, "learner.fullLegalName" },
        { "learner", new { externalId = "x\u200B", fullLegalName = "Ada", email = "ada@example.org" }, "learner.externalId" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_completion_with_a_bad_field_is_400_naming_it_and_nothing_is_written(string key, object? value, string field)
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await PostAsync(Bodies.Completion(programId).With(key, value)), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Theory]
    [InlineData("{\"eventId\": ")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    public async Task A_signed_body_that_is_not_a_completion_is_400(string body)
    {
        var before = await _api.SnapshotCountsAsync();
        await Problem.AssertAsync(await PostAsync(body), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_completion_for_an_unknown_program_is_422_and_nothing_is_written()
    {
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await PostAsync(Bodies.Completion("prg-missing")), HttpStatusCode.UnprocessableEntity, "unknown-reference");

        Assert.True(problem.GetProperty("errors").TryGetProperty("programId", out _));
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task An_oversized_completion_is_413()
    {
        var programId = await _api.CreateProgramAsync();
        var response = await PostAsync(Bodies.Completion(programId).With("cohort", new string('c', 300_000)));
        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }
}
