using System.Net;
using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Domain;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class CredentialLifecycleApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;
    private static readonly string Holder = IssuanceService.LearnerIdFor("learner-42");

    private static Dictionary<string, object?> ProgramAccepting(params string[] pathways)
        => Bodies.Program().With("renewal", new Dictionary<string, object?> { ["validity"] = "P1Y", ["pathways"] = pathways, ["requiredCeCredits"] = 10 });

    /// <summary>A credential completed <paramref name="daysAgo"/> days ago under a one-year program: 340 puts it in its renewal window, 370 in grace.</summary>
    private async Task<string> CredentialAsync(int daysAgo = 340, params string[] pathways)
    {
        var programId = await _api.CreateProgramAsync(ProgramAccepting(pathways.Length == 0 ? ["retakeExam", "refresherModule"] : pathways));
        return await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-daysAgo)));
    }

    private async Task<JsonElement> RecordAsync(string certificateId)
        => await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));

    private Task<HttpResponseMessage> PostAsync(string certificateId, string action, object body, Role role, string? learnerId = null)
        => _api.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/{action}", body, role, learnerId);

    [Fact]
    public async Task A_passing_exam_retake_in_the_window_renews_from_the_old_expiry_and_tells_the_window()
    {
        var id = await CredentialAsync();
        var before = await RecordAsync(id);

        var response = await PostAsync(id, "renewals/exam-result", new { cycle = 1, score = 91, completedAt = DateTimeOffset.UtcNow.AddDays(-1), reference = "exam-77" }, Role.ProgramManager);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var renewed = await ApiHost.ReadJsonAsync(response);
        Assert.Equal(2, renewed.GetProperty("cycle").GetInt32());
        Assert.Equal(before.GetProperty("expiresAt").GetDateTimeOffset().AddYears(1), renewed.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("retakeExam", renewed.GetProperty("renewalHistory")[0].GetProperty("pathway").GetString());
        var entry = renewed.GetProperty("auditTrail").EnumerateArray().Last();
        Assert.Equal(("renewed", "91", "exam-77"), (entry.GetProperty("action").GetString(), entry.GetProperty("details").GetProperty("score").GetString(), entry.GetProperty("details").GetProperty("reference").GetString()));
        Assert.Equal(["start", "Renewed", "start"], fixture.Windows.CallsFor(id));
    }

    [Fact]
    public async Task The_same_renewal_submitted_twice_renews_once()
    {
        var id = await CredentialAsync();
        var body = new { cycle = 1, moduleId = "refresher-2026", completedAt = DateTimeOffset.UtcNow.AddDays(-2) };
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(id, "renewals/refresher-module", body, Role.ProgramManager)).StatusCode);
        var once = await RecordAsync(id);

        var problem = await Problem.AssertAsync(await PostAsync(id, "renewals/refresher-module", body, Role.ProgramManager), HttpStatusCode.Conflict, "invalid-transition");

        Assert.Contains("already renewed", problem.GetProperty("detail").GetString());
        Assert.Equal(once.ToString(), (await RecordAsync(id)).ToString());
    }

    [Fact]
    public async Task A_renewal_before_the_window_opens_is_409_naming_the_date()
    {
        var id = await CredentialAsync(daysAgo: 30);
        var problem = await Problem.AssertAsync(await PostAsync(id, "renewals/exam-result", new { cycle = 1, score = 95, completedAt = DateTimeOffset.UtcNow }, Role.Administrator),
            HttpStatusCode.Conflict, "invalid-transition");
        Assert.Contains("opens on", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_renewal_in_grace_runs_from_the_renewal_date()
    {
        var id = await CredentialAsync(daysAgo: 370);
        var renewed = await ApiHost.ReadJsonAsync(await PostAsync(id, "renewals/exam-result", new { cycle = 1, score = 80, completedAt = DateTimeOffset.UtcNow.AddHours(-1) }, Role.ProgramManager));
        Assert.InRange(renewed.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddYears(1).AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1).AddMinutes(1));
    }

    public static TheoryData<string, object, string> BadRenewals => new()
    {
        { "renewals/exam-result", new { cycle = 1, score = 60, completedAt = DateTimeOffset.UtcNow }, "score" },
        { "renewals/exam-result", new { cycle = 1, score = 101, completedAt = DateTimeOffset.UtcNow }, "score" },
        { "renewals/exam-result", new { cycle = 1, score = 90, completedAt = DateTimeOffset.UtcNow.AddDays(2) }, "completedAt" },
        { "renewals/exam-result", new { cycle = 1, score = 90, completedAt = DateTimeOffset.UtcNow + 2 * ClockSkew.Tolerance }, "completedAt" },
        { "renewals/refresher-module", new { cycle = 1, moduleId = "refresher-2026", completedAt = DateTimeOffset.UtcNow + 2 * ClockSkew.Tolerance }, "completedAt" },
        { "renewals/exam-result", new { cycle = 1, score = 90, completedAt = DateTimeOffset.UtcNow.AddYears(-2) }, "completedAt" },
        { "renewals/exam-result", new { score = 90, completedAt = DateTimeOffset.UtcNow }, "cycle" },
        { "renewals/exam-result", new { cycle = "one", score = 90, completedAt = DateTimeOffset.UtcNow }, "cycle" },
        { "renewals/refresher-module", new { cycle = 1, moduleId = "", completedAt = DateTimeOffset.UtcNow }, "moduleId" },
        { "renewals/credits", new { cycle = 1 }, "pathway" },
        { "grace-extension", new { graceEndsAt = DateTimeOffset.UtcNow, reason = "Deployed" }, "graceEndsAt" },
        { "grace-extension", new { graceEndsAt = DateTimeOffset.UtcNow.AddYears(1) }, "reason" },
        { "grace-extension", new { graceEndsAt = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), reason = "Deployed" }, "graceEndsAt" },
        { "grace-extension", new { graceEndsAt = DateTimeOffset.UtcNow.AddYears(2), reason = "Deployed" }, "graceEndsAt" },
        { "grace-extension", new { graceEndsAt = DateTimeOffset.UtcNow.AddDays(60), reason = "Deployed\u202E" }, "reason" },
        { "revocation", new { reason = "Fraud\nBcc: everyone@example.org" }, "reason" },
        { "renewals/refresher-module", new { cycle = 1, moduleId = "m\u2066", completedAt = DateTimeOffset.UtcNow }, "moduleId" },
        { "renewals/exam-result", new { cycle = 1, score = 90, completedAt = DateTimeOffset.UtcNow, reference = new string('r', 201) }, "reference" },
        { "revocation", new { reason = "" }, "reason" },
        { "credits", new { earnedAt = DateTimeOffset.UtcNow, amount = 0, category = "CPD", activity = "Course" }, "amount" },
        { "credits", new { earnedAt = DateTimeOffset.UtcNow, amount = 2, activity = "Course" }, "category" },
        { "credits", new { earnedAt = DateTimeOffset.UtcNow, amount = 2, category = "CPD", activity = "Course\r\n" + new string('x', 10) }, "activity" },
        { "credits", new { earnedAt = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), amount = 2, category = "CPD", activity = "Course" }, "earnedAt" },
        { "credits", new { earnedAt = DateTimeOffset.UtcNow, amount = 2, category = "CPD", activity = new string('a', 151) }, "activity" },
        { "credits", new { earnedAt = DateTimeOffset.UtcNow, amount = 2, category = "CPD", activity = "Course", reference = new string('r', 65) }, "reference" },
    };

    [Theory]
    [MemberData(nameof(BadRenewals))]
    public async Task A_bad_submission_is_400_naming_the_field_and_changes_nothing(string action, object body, string field)
    {
        var id = await CredentialAsync();
        var before = await RecordAsync(id);

        var problem = await Problem.AssertAsync(await PostAsync(id, action, body, Role.ProgramManager), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
        Assert.Equal(["start"], fixture.Windows.CallsFor(id)); // issuance started it; nothing since
    }

    [Theory]
    [InlineData("renewals/exam-result", "{\"cycle\": 1,")]
    [InlineData("revocation", "[]")]
    public async Task Malformed_json_is_400(string action, string body)
    {
        var id = await CredentialAsync();
        await Problem.AssertAsync(await PostAsync(id, action, body, Role.ProgramManager), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task An_unknown_or_mistyped_credential_is_404_or_400()
    {
        var never = Domain.Credentials.CertificateId.FromRandomBytes(Enumerable.Repeat((byte)3, 15).ToArray()).Value;
        await Problem.AssertAsync(await PostAsync(never, "revocation", new { reason = "x" }, Role.ProgramManager), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await PostAsync("ABCD", "revocation", new { reason = "x" }, Role.ProgramManager), HttpStatusCode.BadRequest, "malformed-certificate-id");
    }

    [Theory]
    [InlineData("renewals/exam-result", Role.Learner)]
    [InlineData("renewals/exam-result", Role.Auditor)]
    [InlineData("renewals/supervisor-sign-off", Role.ProgramManager)]
    [InlineData("credits/1/approval", Role.Auditor)]
    [InlineData("grace-extension", Role.Supervisor)]
    [InlineData("revocation", Role.Learner)]
    [InlineData("reinstatement", Role.Auditor)]
    [InlineData("tracking-end", Role.Learner)]
    public async Task The_wrong_role_is_403_and_changes_nothing(string action, Role role)
    {
        var id = await CredentialAsync();
        var before = await RecordAsync(id);
        await Problem.AssertAsync(await PostAsync(id, action, new { reason = "x" }, role, Holder), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
    }

    private async Task AssignSupervisorAsync(string learnerId, string supervisorId)
        => Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Post, $"/api/learners/{learnerId}/supervisors", new { supervisorId }, Role.ProgramManager)).StatusCode);

    private Task<HttpResponseMessage> SignOffAsync(string certificateId, string supervisorSubject, string? learnerId = null)
    {
        var request = _api.Request(HttpMethod.Post, $"/api/credentials/{certificateId}/renewals/supervisor-sign-off",
            new { cycle = 1, supervisorName = "Grace Hopper", statement = "Observed safe operation on site 3 over 40 shifts." });
        request.Headers.Authorization = new("Bearer", ApiHost.TokenFor(Role.Supervisor, subject: supervisorSubject, learnerId: learnerId));
        return _api.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_supervisor_signs_off_the_renewal_of_a_learner_they_supervise()
    {
        var id = await CredentialAsync(pathways: ["supervisorSignOff"]);
        await AssignSupervisorAsync(Holder, "sup-grace");

        var signed = await ApiHost.ReadJsonAsync(await SignOffAsync(id, "sup-grace"));

        Assert.Equal(2, signed.GetProperty("cycle").GetInt32());
        var entry = signed.GetProperty("auditTrail").EnumerateArray().Last();
        Assert.Equal(("user:sup-grace", "Grace Hopper"), (entry.GetProperty("actor").GetString(), entry.GetProperty("details").GetProperty("supervisorName").GetString()));
    }

    [Fact]
    public async Task A_supervisor_of_other_learners_is_refused_403_and_nothing_changes()
    {
        var id = await CredentialAsync(pathways: ["supervisorSignOff"]);
        await AssignSupervisorAsync(IssuanceService.LearnerIdFor("someone-else"), "sup-other");
        var before = await RecordAsync(id);

        var problem = await Problem.AssertAsync(await SignOffAsync(id, "sup-other"), HttpStatusCode.Forbidden, "forbidden");

        Assert.Contains("do not supervise", problem.GetProperty("detail").GetString());
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
        Assert.Equal(["start"], fixture.Windows.CallsFor(id));
    }

    [Fact]
    public async Task A_learner_cannot_sign_off_their_own_renewal_even_as_their_own_supervisor()
    {
        var id = await CredentialAsync(pathways: ["supervisorSignOff"]);
        await AssignSupervisorAsync(Holder, "ada-herself");
        await Problem.AssertAsync(await SignOffAsync(id, "ada-herself", learnerId: Holder), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_unassigned_supervisor_can_no_longer_sign_off()
    {
        var id = await CredentialAsync(pathways: ["supervisorSignOff"]);
        await AssignSupervisorAsync(Holder, "sup-leaving");
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Delete, $"/api/learners/{Holder}/supervisors/sup-leaving", role: Role.Administrator)).StatusCode);
        await Problem.AssertAsync(await SignOffAsync(id, "sup-leaving"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_pathway_the_program_does_not_accept_is_400()
    {
        var id = await CredentialAsync(pathways: ["retakeExam"]);
        var problem = await Problem.AssertAsync(await PostAsync(id, "renewals/refresher-module", new { cycle = 1, moduleId = "m", completedAt = DateTimeOffset.UtcNow }, Role.ProgramManager),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("RetakeExam", problem.GetProperty("errors").GetProperty("pathway")[0].GetString());
    }

    private static object Credit(decimal amount, string reference) => new { earnedAt = DateTimeOffset.UtcNow.AddDays(-3), amount, category = "CPD", activity = "Safety seminar", reference };

    private async Task<string> CreditsProgramCredentialAsync(string? creditAttestation = null)
    {
        var renewal = new Dictionary<string, object?> { ["validity"] = "P1Y", ["pathways"] = new[] { "continuingEducationCredits" }, ["requiredCeCredits"] = 10 };
        if (creditAttestation is not null) renewal["creditAttestation"] = creditAttestation;
        var programId = await _api.CreateProgramAsync(Bodies.Program().With("renewal", renewal));
        return await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-340)));
    }

    [Fact]
    public async Task Under_a_self_attested_program_credits_the_learner_logs_renew_once_they_reach_the_requirement_in_the_window()
    {
        var id = await CreditsProgramCredentialAsync("selfAttested");

        var first = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(6, "seminar-1"), Role.Learner, Holder));
        var repeated = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(6, "seminar-1"), Role.Learner, Holder));
        var other = await PostAsync(id, "credits", Credit(6, "seminar-x"), Role.Learner, IssuanceService.LearnerIdFor("someone-else"));
        var second = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(4, "seminar-2"), Role.Learner, Holder));

        Assert.Equal((false, 6m, 10m), (first.GetProperty("renewed").GetBoolean(), first.GetProperty("creditsThisCycle").GetDecimal(), first.GetProperty("requiredCeCredits").GetDecimal()));
        Assert.Equal((6m, 1), (repeated.GetProperty("creditsThisCycle").GetDecimal(), repeated.GetProperty("credit").GetProperty("number").GetInt32()));
        await Problem.AssertAsync(other, HttpStatusCode.Forbidden, "forbidden");
        Assert.True(second.GetProperty("renewed").GetBoolean());
        Assert.Equal(2, second.GetProperty("credential").GetProperty("cycle").GetInt32());
        Assert.Equal(["start", "Renewed", "start"], fixture.Windows.CallsFor(id));
    }

    [Fact]
    public async Task Credits_a_learner_logs_under_review_are_pending_and_do_not_renew()
    {
        var id = await CreditsProgramCredentialAsync();

        var logged = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(12, "cert-881"), Role.Learner, Holder));

        Assert.False(logged.GetProperty("renewed").GetBoolean());
        Assert.Equal((0m, 12m), (logged.GetProperty("creditsThisCycle").GetDecimal(), logged.GetProperty("creditsPendingReview").GetDecimal()));
        Assert.Equal("pending", logged.GetProperty("credit").GetProperty("review").GetProperty("state").GetString());
        await Problem.AssertAsync(await PostAsync(id, "renewals/credits", new { cycle = 1 }, Role.Learner, Holder), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(1, (await RecordAsync(id)).GetProperty("cycle").GetInt32());
        Assert.Equal(["start"], fixture.Windows.CallsFor(id));
    }

    [Fact]
    public async Task A_program_managers_approval_that_completes_the_requirement_renews_and_tells_the_window()
    {
        var id = await CreditsProgramCredentialAsync();
        var number = (await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(10, "cert-881"), Role.Learner, Holder))).GetProperty("credit").GetProperty("number").GetInt32();

        var approved = await ApiHost.ReadJsonAsync(await PostAsync(id, $"credits/{number}/approval", new { }, Role.ProgramManager));

        Assert.True(approved.GetProperty("renewed").GetBoolean());
        Assert.Equal("approved", approved.GetProperty("credit").GetProperty("review").GetProperty("state").GetString());
        var trail = approved.GetProperty("credential").GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("action").GetString()).TakeLast(2);
        Assert.Equal(["creditApproved", "renewed"], trail);
        Assert.Equal(2, approved.GetProperty("credential").GetProperty("cycle").GetInt32());
        Assert.Equal(["start", "Renewed", "start"], fixture.Windows.CallsFor(id));
    }

    [Fact]
    public async Task A_rejected_credit_keeps_its_reason_and_never_counts()
    {
        var id = await CreditsProgramCredentialAsync();
        await PostAsync(id, "credits", Credit(10, "cert-881"), Role.Learner, Holder);

        var rejected = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits/1/rejection", new { reason = "No such certificate at the provider" }, Role.Administrator));

        Assert.Equal(("rejected", "No such certificate at the provider"),
            (rejected.GetProperty("credit").GetProperty("review").GetProperty("state").GetString(), rejected.GetProperty("credit").GetProperty("review").GetProperty("reason").GetString()));
        Assert.Equal((false, 0m, 0m), (rejected.GetProperty("renewed").GetBoolean(), rejected.GetProperty("creditsThisCycle").GetDecimal(), rejected.GetProperty("creditsPendingReview").GetDecimal()));
        Assert.Equal("creditRejected", rejected.GetProperty("credential").GetProperty("auditTrail").EnumerateArray().Last().GetProperty("action").GetString());
    }

    public static TheoryData<string, object, Role, HttpStatusCode, string, string?> BadReviews => new()
    {
        { "credits/abc/approval", new { }, Role.ProgramManager, HttpStatusCode.BadRequest, "validation", "creditId" },
        { "credits/0/approval", new { }, Role.ProgramManager, HttpStatusCode.BadRequest, "validation", "creditId" },
        { "credits/9/approval", new { }, Role.ProgramManager, HttpStatusCode.NotFound, "not-found", null },
        { "credits/1/rejection", new { }, Role.ProgramManager, HttpStatusCode.BadRequest, "validation", "reason" },
        { "credits/1/rejection", new { reason = " " }, Role.ProgramManager, HttpStatusCode.BadRequest, "validation", "reason" },
        { "credits/1/rejection", new { reason = new string('x', 301) }, Role.ProgramManager, HttpStatusCode.BadRequest, "validation", "reason" },
        { "credits/1/approval", new { }, Role.Learner, HttpStatusCode.Forbidden, "forbidden", null },
        { "credits/1/rejection", new { reason = "x" }, Role.Supervisor, HttpStatusCode.Forbidden, "forbidden", null },
        { "credits/2/approval", new { }, Role.ProgramManager, HttpStatusCode.Conflict, "invalid-transition", null },
    };

    [Theory]
    [MemberData(nameof(BadReviews))]
    public async Task A_bad_review_is_a_problem_and_changes_nothing(string action, object body, Role role, HttpStatusCode status, string type, string? field)
    {
        var id = await CreditsProgramCredentialAsync();
        await PostAsync(id, "credits", Credit(3, "cert-1"), Role.Learner, Holder);
        await PostAsync(id, "credits", new { earnedAt = DateTimeOffset.UtcNow.AddDays(-1), amount = 2, category = "CPD", activity = "Audited course" }, Role.ProgramManager);
        var before = await RecordAsync(id);

        var problem = await Problem.AssertAsync(await PostAsync(id, action, body, role, Holder), status, type);

        if (field is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
    }

    [Fact]
    public async Task A_learner_logging_a_credit_without_its_reference_is_400_and_changes_nothing()
    {
        var id = await CreditsProgramCredentialAsync();
        var before = await RecordAsync(id);
        var problem = await Problem.AssertAsync(await PostAsync(id, "credits", new { earnedAt = DateTimeOffset.UtcNow.AddDays(-1), amount = 2, category = "CPD", activity = "Webinar" }, Role.Learner, Holder),
            HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("reference", out _));
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
    }

    [Fact]
    public async Task A_full_cycle_refuses_the_next_credit_with_a_409_naming_the_limit_and_changes_nothing()
    {
        var id = await CreditsProgramCredentialAsync();
        for (var i = 0; i < Domain.Credentials.CreditLedger.MaxEntriesPerCycle; i++)
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(id, "credits", Credit(0.2m, $"cert-{i}"), Role.Learner, Holder)).StatusCode);
        var before = await RecordAsync(id);

        var problem = await Problem.AssertAsync(await PostAsync(id, "credits", Credit(0.2m, "one-more"), Role.Learner, Holder), HttpStatusCode.Conflict, "limit-reached");

        Assert.True(problem.GetProperty("errors").TryGetProperty("creditEntriesPerCycle", out _), problem.ToString());
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
    }

    [Fact]
    public async Task A_grace_extension_moves_the_grace_end_and_tells_the_window()
    {
        var id = await CredentialAsync(daysAgo: 370);
        var graceEndsAt = DateTimeOffset.UtcNow.AddDays(60);
        var extended = await ApiHost.ReadJsonAsync(await PostAsync(id, "grace-extension", new { graceEndsAt, reason = "Medical leave" }, Role.ProgramManager));
        Assert.Equal(graceEndsAt, extended.GetProperty("graceExtensions")[0].GetProperty("graceEndsAt").GetDateTimeOffset());
        Assert.Equal(["start", "GraceExtended"], fixture.Windows.CallsFor(id));
    }

    [Fact]
    public async Task Revocation_shows_in_verification_and_reinstatement_restarts_the_window()
    {
        var id = await CredentialAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(id, "revocation", new { reason = "Exam misconduct" }, Role.Administrator)).StatusCode);
        Assert.Equal("revoked", (await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/verify/{id}"))).GetProperty("status").GetString());
        await Problem.AssertAsync(await PostAsync(id, "revocation", new { reason = "Twice" }, Role.Administrator), HttpStatusCode.Conflict, "invalid-transition");

        var reinstated = await ApiHost.ReadJsonAsync(await PostAsync(id, "reinstatement", new { reason = "Appeal upheld" }, Role.ProgramManager));

        Assert.Equal("active", reinstated.GetProperty("state").GetString());
        Assert.Equal(["start", "Revoked", "start"], fixture.Windows.CallsFor(id));
        await Problem.AssertAsync(await PostAsync(id, "reinstatement", new { reason = "Again" }, Role.ProgramManager), HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task When_the_learner_leaves_tracking_ends_once_and_the_window_is_told()
    {
        var id = await CredentialAsync();
        var ended = await ApiHost.ReadJsonAsync(await PostAsync(id, "tracking-end", new { reason = "Left the company" }, Role.Administrator));
        Assert.NotEqual(JsonValueKind.Null, ended.GetProperty("trackingEndedAt").ValueKind);
        Assert.Equal(["start", "LearnerLeft"], fixture.Windows.CallsFor(id));
        await Problem.AssertAsync(await PostAsync(id, "tracking-end", new { reason = "Again" }, Role.Administrator), HttpStatusCode.Conflict, "invalid-transition");
    }
}
