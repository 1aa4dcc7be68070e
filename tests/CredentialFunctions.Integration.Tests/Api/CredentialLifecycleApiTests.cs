using System.Net;
using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
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

    [Fact]
    public async Task A_supervisor_signs_off_a_renewal_but_not_their_own()
    {
        var id = await CredentialAsync(pathways: ["supervisorSignOff"]);
        var body = new { cycle = 1, supervisorName = "Grace Hopper", statement = "Observed safe operation on site 3 over 40 shifts." };

        var own = await PostAsync(id, "renewals/supervisor-sign-off", body, Role.Supervisor, Holder);
        await Problem.AssertAsync(own, HttpStatusCode.Forbidden, "forbidden");

        var signed = await ApiHost.ReadJsonAsync(await PostAsync(id, "renewals/supervisor-sign-off", body, Role.Supervisor));
        var entry = signed.GetProperty("auditTrail").EnumerateArray().Last();
        Assert.Equal("Grace Hopper", entry.GetProperty("details").GetProperty("supervisorName").GetString());
    }

    [Fact]
    public async Task A_pathway_the_program_does_not_accept_is_400()
    {
        var id = await CredentialAsync(pathways: ["retakeExam"]);
        var problem = await Problem.AssertAsync(await PostAsync(id, "renewals/refresher-module", new { cycle = 1, moduleId = "m", completedAt = DateTimeOffset.UtcNow }, Role.ProgramManager),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("RetakeExam", problem.GetProperty("errors").GetProperty("pathway")[0].GetString());
    }

    [Fact]
    public async Task Credits_logged_by_the_learner_renew_once_they_reach_the_requirement_in_the_window()
    {
        var id = await CredentialAsync(pathways: ["continuingEducationCredits"]);
        object Credit(decimal amount, string reference) => new { earnedAt = DateTimeOffset.UtcNow.AddDays(-3), amount, category = "CPD", activity = "Safety seminar", reference };

        var first = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(6, "seminar-1"), Role.Learner, Holder));
        var repeated = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(6, "seminar-1"), Role.Learner, Holder));
        var other = await PostAsync(id, "credits", Credit(6, "seminar-x"), Role.Learner, IssuanceService.LearnerIdFor("someone-else"));
        var second = await ApiHost.ReadJsonAsync(await PostAsync(id, "credits", Credit(4, "seminar-2"), Role.Learner, Holder));

        Assert.Equal((false, 6m, 10m), (first.GetProperty("renewed").GetBoolean(), first.GetProperty("creditsThisCycle").GetDecimal(), first.GetProperty("requiredCeCredits").GetDecimal()));
        Assert.Equal(6m, repeated.GetProperty("creditsThisCycle").GetDecimal());
        await Problem.AssertAsync(other, HttpStatusCode.Forbidden, "forbidden");
        Assert.True(second.GetProperty("renewed").GetBoolean());
        Assert.Equal(2, second.GetProperty("credential").GetProperty("cycle").GetInt32());
        Assert.Equal(["start", "Renewed", "start"], fixture.Windows.CallsFor(id));
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
