using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Applications;

[Collection(ApiCollection.Name)]
public sealed class ApplicationApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private static readonly object Pathway = new
    {
        pathwayId = "degree-experience",
        name = "Degree and two years' experience",
        documents = new[] { new { name = "Degree certificate", accepted = "A scan of the certificate or the final transcript" } },
    };

    private static Dictionary<string, object?> ProgramWithApplications(bool fee = true) => Bodies.Program()
        .With("eligibilityPathways", new[] { Pathway })
        .With("fee", fee ? new { minorUnits = 25_000, currency = "USD" } : null)
        .With("retake", new { attemptsAllowed = 2, period = "P1Y", waitingPeriod = "P14D" });

    /// <summary>A candidate of their own: their token's subject and learner id, unique to the test.</summary>
    private sealed record Candidate(string Subject, string LearnerId);

    private static Candidate NewCandidate()
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        return new Candidate($"cand-{n}", $"lms:{n}");
    }

    private Task<HttpResponseMessage> AsCandidate(Candidate c, HttpMethod method, string path, object? body = null, Role role = Role.Learner)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = ApiHost.Json(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(role, c.Subject, c.LearnerId));
        return _api.Client.SendAsync(request);
    }

    private static object Submission(string programId, string pathwayId = "degree-experience")
        => new { programId, pathwayId, fullLegalName = "Ada King Lovelace", email = "ada@example.org" };

    private async Task<(string Id, Candidate Candidate)> SubmitAsync(string programId, Candidate? candidate = null)
    {
        candidate ??= NewCandidate();
        using var response = await AsCandidate(candidate, HttpMethod.Post, "/api/applications", Submission(programId));
        var json = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return (json.GetProperty("applicationId").GetString()!, candidate);
    }

    private async Task<JsonElement> AsReviewerAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _api.SendAsync(method, path, body, Role.ProgramManager);
        var json = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    private async Task<string> StoredAsync(string applicationId)
        => (await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/applications/{applicationId}", role: Role.Auditor))).ToString();

    private static string Status(JsonElement application) => application.GetProperty("status").GetString()!;

    [Fact]
    public async Task A_candidate_applies_is_approved_pays_by_invoice_and_passes_and_the_credential_is_issued_to_the_learner_the_application_names()
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var (id, candidate) = await SubmitAsync(programId);

        await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/review");
        var asked = await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/information-requests", new { question = "Which employer were the two years with?" });
        var resubmitted = await ApiHost.ReadJsonAsync(await AsCandidate(candidate, HttpMethod.Post, $"/api/applications/{id}/resubmit", new { answer = "Acme Widgets" }));
        var approved = await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { note = "Complete" });
        var paid = await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/payments",
            new { amountMinorUnits = 25_000, currency = "USD", reference = "PO-2026-118", paidAt = DateTimeOffset.UtcNow.AddHours(-1) });
        var passed = await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/results", new { score = 91, takenAt = DateTimeOffset.UtcNow.AddMinutes(-10) });

        Assert.Equal(
            ["moreInformationRequested", "submitted", "awaitingPayment", "eligible", "issued"],
            new[] { asked, resubmitted, approved, paid, passed }.Select(Status));
        Assert.Equal(
            ["submit", "startReview", "requestInformation", "resubmit", "approve", "recordPayment", "recordResult"],
            passed.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        var certificateId = passed.GetProperty("certificateId").GetString()!;
        var credential = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));
        Assert.Equal((candidate.LearnerId, "Ada King Lovelace"), (credential.GetProperty("holder").GetProperty("learnerId").GetString(), credential.GetProperty("holder").GetProperty("legalName").GetString()));

        var paymentEvent = Assert.Single(_api.PublishedEventsAbout($"applications/{id}"));
        var data = paymentEvent.GetProperty("data");
        Assert.Equal((EventTypes.PaymentSucceeded, "manual", "PO-2026-118", 25_000L), (
            paymentEvent.GetProperty("type").GetString(), data.GetProperty("method").GetString(), data.GetProperty("reference").GetString(), data.GetProperty("amountMinorUnits").GetInt64()));
    }

    [Fact]
    public async Task A_fail_tells_the_candidate_when_they_may_retake_and_a_result_dated_before_that_is_refused_with_what_is_possible()
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications(fee: false));
        var (id, _) = await SubmitAsync(programId);
        await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { });
        var takenAt = DateTimeOffset.UtcNow.AddMinutes(-10);

        var failed = await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/results", new { score = 40, takenAt });
        var before = await StoredAsync(id);
        var early = await Problem.AssertAsync(
            await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/results", new { score = 90, takenAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, Role.ProgramManager),
            HttpStatusCode.Conflict, "application-transition");

        Assert.Equal("retakeWaiting", Status(failed));
        Assert.Equal(takenAt.AddDays(14), failed.GetProperty("retakeFrom").GetDateTimeOffset());
        Assert.Equal(["withdraw"], early.GetProperty("possible").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(before, await StoredAsync(id));
    }

    [Fact]
    public async Task An_action_the_state_does_not_allow_is_409_naming_the_possible_actions_and_changes_nothing()
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var (id, _) = await SubmitAsync(programId);
        var before = await StoredAsync(id);

        var problem = await Problem.AssertAsync(
            await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/results", new { score = 90, takenAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, Role.ProgramManager),
            HttpStatusCode.Conflict, "application-transition");

        Assert.Equal(["startReview", "approve", "reject", "requestInformation", "attachDocument", "withdraw"], problem.GetProperty("possible").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(before, await StoredAsync(id));
    }

    [Fact]
    public async Task Candidates_see_and_change_only_their_own_applications()
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var (mine, me) = await SubmitAsync(programId);
        var (theirs, _) = await SubmitAsync(programId);
        var before = await StoredAsync(theirs);

        await Problem.AssertAsync(await AsCandidate(me, HttpMethod.Get, $"/api/applications/{theirs}"), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await AsCandidate(me, HttpMethod.Post, $"/api/applications/{theirs}/withdraw", new { }), HttpStatusCode.Forbidden, "forbidden");
        var list = await ApiHost.ReadJsonAsync(await AsCandidate(me, HttpMethod.Get, "/api/me/applications"));

        Assert.Equal([mine], list.GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("applicationId").GetString()));
        Assert.Equal(before, await StoredAsync(theirs));
        Assert.Equal("withdrawn", Status(await ApiHost.ReadJsonAsync(await AsCandidate(me, HttpMethod.Post, $"/api/applications/{mine}/withdraw", new { reason = "Moving abroad" }))));
    }

    [Fact]
    public async Task Reviewers_list_a_programs_applications_by_status_newest_first()
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var (first, _) = await SubmitAsync(programId);
        var (second, _) = await SubmitAsync(programId);
        var (approved, _) = await SubmitAsync(programId);
        await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{approved}/approve", new { });

        var submitted = await AsReviewerAsync(HttpMethod.Get, $"/api/applications?programId={programId}&status=submitted");
        var all = await AsReviewerAsync(HttpMethod.Get, $"/api/applications?programId={programId}");

        Assert.Equal([second, first], submitted.GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("applicationId").GetString()));
        Assert.Equal(3, all.GetProperty("applications").GetArrayLength());
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/applications?status=pending", role: Role.ProgramManager), HttpStatusCode.BadRequest, "validation");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/applications", role: Role.Learner), HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData(24_999, "USD", "amount")]
    [InlineData(25_000, "EUR", "amount")]
    [InlineData(25_000, "usd", "amountMinorUnits")]
    [InlineData(-5, "USD", "amountMinorUnits")]
    public async Task A_manual_payment_that_is_not_the_fee_is_400_and_changes_nothing(long minorUnits, string currency, string field)
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var (id, _) = await SubmitAsync(programId);
        await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { });
        var before = await StoredAsync(id);

        var problem = await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/payments",
            new { amountMinorUnits = minorUnits, currency, reference = "INV-1", paidAt = DateTimeOffset.UtcNow.AddHours(-1) }, Role.ProgramManager), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await StoredAsync(id));
    }

    public static TheoryData<string, string> BadSubmissions => new()
    {
        { "{\"programId\": ", "body" },
        { "{}", "programId" },
        { "{\"programId\": \"PROGRAM\", \"pathwayId\": \"no-such\", \"fullLegalName\": \"Ada\", \"email\": \"ada@example.org\"}", "pathwayId" },
        { "{\"programId\": \"PROGRAM\", \"pathwayId\": \"degree-experience\", \"fullLegalName\": \"\", \"email\": \"ada@example.org\"}", "fullLegalName" },
        { "{\"programId\": \"PROGRAM\", \"pathwayId\": \"degree-experience\", \"fullLegalName\": \"Ada\\u202E\", \"email\": \"ada@example.org\"}", "fullLegalName" },
        { "{\"programId\": \"PROGRAM\", \"pathwayId\": \"degree-experience\", \"fullLegalName\": \"Ada\", \"email\": \"not an address\"}", "email" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task A_bad_submission_is_400_naming_the_field_and_writes_nothing(string raw, string field)
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var before = await _api.CountAsync(CosmosLayout.Applications);

        var problem = await Problem.AssertAsync(await AsCandidate(NewCandidate(), HttpMethod.Post, "/api/applications", raw.Replace("PROGRAM", programId)), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Applications));
    }

    [Fact]
    public async Task An_application_for_an_unknown_program_by_someone_not_a_linked_learner_or_to_an_unknown_id_is_refused_and_writes_nothing()
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var before = await _api.CountAsync(CosmosLayout.Applications);

        await Problem.AssertAsync(await AsCandidate(NewCandidate(), HttpMethod.Post, "/api/applications", Submission("prg-none")), HttpStatusCode.UnprocessableEntity, "unknown-reference");
        await Problem.AssertAsync(await AsCandidate(NewCandidate() with { LearnerId = "hr:7" }, HttpMethod.Post, "/api/applications", Submission(programId)), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await AsCandidate(NewCandidate(), HttpMethod.Post, "/api/applications", Submission(programId), Role.ProgramManager), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, "/api/applications/app-none/approve", new { }, Role.ProgramManager), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, $"/api/applications/app-none/reject", new { reason = "" }, Role.ProgramManager), HttpStatusCode.NotFound, "not-found");

        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Applications));
    }

    [Fact]
    public async Task A_rejection_needs_its_reason_and_a_question_its_text()
    {
        var programId = await _api.CreateProgramAsync(ProgramWithApplications());
        var (id, _) = await SubmitAsync(programId);
        var before = await StoredAsync(id);

        var noReason = await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/reject", new { reason = " " }, Role.ProgramManager), HttpStatusCode.BadRequest, "validation");
        var noQuestion = await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/information-requests", new { }, Role.ProgramManager), HttpStatusCode.BadRequest, "validation");

        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True(noQuestion.GetProperty("errors").TryGetProperty("question", out _));
        Assert.Equal(before, await StoredAsync(id));
        Assert.Equal("rejected", Status(await AsReviewerAsync(HttpMethod.Post, $"/api/applications/{id}/reject", new { reason = "The degree is not in a related field" })));
    }
}
