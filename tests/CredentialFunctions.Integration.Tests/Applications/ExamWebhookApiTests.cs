using System.Net;
using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Applications;

/// <summary>
/// The exam provider's signed result webhook: the same result path as a program manager's entry,
/// recorded as the exam provider, once per result id; every refusal a problem with nothing written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ExamWebhookApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private async Task<string> EligibleApplicationAsync()
    {
        var (id, _) = await _api.ApplyAsync(await _api.CreateProgramAsync(Applicants.Program(fee: false)));
        using var approved = await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        return id;
    }

    private static string Result(string applicationId, decimal score, DateTimeOffset takenAt, string? resultId = null)
        => JsonSerializer.Serialize(new { resultId = resultId ?? $"exr-{Guid.NewGuid():N}", applicationId, score, takenAt }, CredentialJson.Options);

    private async Task<(HttpResponseMessage Response, JsonElement Body)> DeliverAsync(string body, DateTimeOffset? signedAt = null, string secret = ApiHost.ExamSecret)
    {
        var response = await _api.Client.SendAsync(ApiHost.SignedExamResult(body, signedAt, secret));
        return (response, await ApiHost.ReadJsonAsync(response));
    }

    [Fact]
    public async Task A_pass_issues_the_credential_recorded_as_the_exam_provider_and_a_redelivery_answers_the_same_and_changes_nothing()
    {
        var id = await EligibleApplicationAsync();
        var body = Result(id, 91, DateTimeOffset.UtcNow.AddMinutes(-30));

        var (first, passed) = await DeliverAsync(body);
        var stored = await _api.ApplicationAsync(id);
        var counts = await _api.SnapshotCountsAsync();
        var (again, replayed) = await DeliverAsync(body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("issued", passed.GetProperty("status").GetString());
        var entry = passed.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("recordResult", "integration:exams"), (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString()));
        var certificateId = passed.GetProperty("certificateId").GetString()!;
        var verified = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/verify/{certificateId}"));
        Assert.Equal((true, "active"), (verified.GetProperty("authentic").GetBoolean(), verified.GetProperty("status").GetString()));
        var issuedEntry = (await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}/audit", role: Role.Auditor)))
            .GetProperty("entries").EnumerateArray().First();
        Assert.Equal(("issued", "integration:exams"), (issuedEntry.GetProperty("action").GetString(), issuedEntry.GetProperty("actor").GetString()));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(passed.ToString(), replayed.ToString());
        Assert.Equal(stored, await _api.ApplicationAsync(id));
        Assert.Equal(counts, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_fail_records_the_attempt_and_when_a_retake_may_be_taken()
    {
        var id = await EligibleApplicationAsync();
        var takenAt = DateTimeOffset.UtcNow.AddHours(-2);

        var (response, failed) = await DeliverAsync(Result(id, 42, takenAt, resultId: "exr-fail-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("retakeWaiting", failed.GetProperty("status").GetString());
        Assert.Equal(takenAt.AddDays(14), failed.GetProperty("retakeFrom").GetDateTimeOffset());
        var attempt = Assert.Single(failed.GetProperty("attempts").EnumerateArray());
        Assert.Equal(("exr-fail-1", "failed", "integration:exams"), (
            attempt.GetProperty("resultId").GetString(), attempt.GetProperty("outcome").GetString(), attempt.GetProperty("recordedBy").GetString()));
    }

    public static TheoryData<string, int, string> BadSignatures => new()
    {
        { "wrong secret", 0, "someone-elses-secret" },
        { "stale", -10, ApiHost.ExamSecret },
        { "the LMS's secret", 0, ApiHost.LmsSecret },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_badly_signed_or_stale_delivery_is_401_and_writes_nothing(string why, int minutesAgo, string secret)
    {
        var id = await EligibleApplicationAsync();
        var stored = await _api.ApplicationAsync(id);

        using var response = await _api.Client.SendAsync(ApiHost.SignedExamResult(Result(id, 91, DateTimeOffset.UtcNow.AddMinutes(-30)), DateTimeOffset.UtcNow.AddMinutes(minutesAgo), secret));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
        Assert.True(stored == await _api.ApplicationAsync(id), why);
    }

    [Fact]
    public async Task An_unsigned_delivery_is_401()
    {
        using var response = await _api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/exams/results")
        {
            Content = ApiHost.Json(Result("app-none", 91, DateTimeOffset.UtcNow)),
        });

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
    }

    [Fact]
    public async Task A_result_for_an_unknown_application_is_422_and_writes_nothing()
    {
        var counts = await _api.SnapshotCountsAsync();

        var (response, _) = await DeliverAsync(Result("app-none", 91, DateTimeOffset.UtcNow.AddMinutes(-5)));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "unknown-reference");
        Assert.True(problem.GetProperty("errors").TryGetProperty("applicationId", out _), problem.ToString());
        Assert.Equal(counts, await _api.SnapshotCountsAsync());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "{\"resultId\": ", "body" },
        { "{\"resultId\": \"exr-1\", \"applicationId\": \"APP\", \"takenAt\": \"2026-01-01T00:00:00Z\"}", "score" },
        { "{\"resultId\": \"exr-1\", \"applicationId\": \"APP\", \"score\": 120, \"takenAt\": \"TAKEN\"}", "score" },
        { "{\"resultId\": \"exr-1\", \"applicationId\": \"APP\", \"score\": 90, \"takenAt\": \"2999-01-01T00:00:00Z\"}", "takenAt" },
        { "{\"resultId\": \" \", \"applicationId\": \"APP\", \"score\": 90, \"takenAt\": \"TAKEN\"}", "resultId" },
        { "{\"resultId\": \"exr-1\", \"applicationId\": \"\", \"score\": 90, \"takenAt\": \"TAKEN\"}", "applicationId" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task An_invalid_result_is_400_naming_the_field_and_writes_nothing(string raw, string field)
    {
        var id = await EligibleApplicationAsync();
        var stored = await _api.ApplicationAsync(id);
        var counts = await _api.SnapshotCountsAsync();

        var (response, _) = await DeliverAsync(raw.Replace("APP", id).Replace("TAKEN", DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O")));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        Assert.Equal(stored, await _api.ApplicationAsync(id));
        Assert.Equal(counts, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_result_for_an_application_not_yet_eligible_is_409_naming_what_is_possible()
    {
        var (id, _) = await _api.ApplyAsync(await _api.CreateProgramAsync(Applicants.Program()));
        var stored = await _api.ApplicationAsync(id);

        var (response, _) = await DeliverAsync(Result(id, 91, DateTimeOffset.UtcNow.AddMinutes(-5)));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Conflict, "application-transition");
        Assert.Contains("approve", problem.GetProperty("possible").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(stored, await _api.ApplicationAsync(id));
    }
}
