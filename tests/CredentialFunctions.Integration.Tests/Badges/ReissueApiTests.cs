using System.Net;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Badges;

/// <summary>
/// A change of the record re-issues the badge under the same certificate id: the VC is built from
/// the record on each request, so its name and dates follow it, and the record still verifies.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReissueApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private async Task<string> CredentialAsync() => await _api.IssueAsync(await _api.CreateProgramAsync());

    private Task<HttpResponseMessage> CorrectAsync(string certificateId, object body, Role role = Role.ProgramManager)
        => _api.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/name-corrections", body, role);

    private static JsonNode IdentifierOf(JsonObject vc, string type)
        => vc["credentialSubject"]!["identifier"]!.AsArray().Single(i => (string?)i!["identityType"] == type)!;

    [Fact]
    public async Task A_name_correction_is_audited_with_both_names_and_the_record_still_verifies()
    {
        var certificateId = await CredentialAsync();

        using var response = await CorrectAsync(certificateId, new { legalName = "Ada Lovelace King", reason = "Name order was wrong in the LMS." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Ada Lovelace King", (string?)record["holder"]!["legalName"]);
        var entry = record["auditTrail"]!.AsArray()[^1]!;
        Assert.Equal("corrected", (string?)entry["action"]);
        Assert.Equal("Name order was wrong in the LMS.", (string?)entry["reason"]);
        Assert.Equal(("legalName", "Ada King Lovelace", "Ada Lovelace King"), ((string?)entry["details"]!["field"], (string?)entry["details"]!["from"], (string?)entry["details"]!["to"]));
        using var verified = await _api.Client.SendAsync(OpenBadgeApiTests.Anonymous($"/api/verify/{certificateId}"));
        var verification = JsonNode.Parse(await verified.Content.ReadAsStringAsync())!;
        Assert.True((bool)verification["authentic"]!);
        Assert.Equal("Ada Lovelace King", (string?)verification["holderName"]);
    }

    [Fact]
    public async Task After_a_name_correction_the_badge_names_the_corrected_holder_from_the_correction_on_under_the_same_id()
    {
        var certificateId = await CredentialAsync();
        var before = OpenBadgeApiTests.PayloadOf(await OpenBadgeApiTests.BadgeAsync(_api, certificateId));

        using var corrected = await CorrectAsync(certificateId, new { legalName = "Ada Lovelace", reason = "Legal name changed." });
        var correctedAt = (string?)JsonNode.Parse(await corrected.Content.ReadAsStringAsync())!["auditTrail"]!.AsArray()[^1]!["at"];
        var after = OpenBadgeApiTests.PayloadOf(await OpenBadgeApiTests.BadgeAsync(_api, certificateId));

        Assert.Equal((string?)before["id"], (string?)after["id"]);
        Assert.Equal("Ada King Lovelace", (string?)IdentifierOf(before, "name")["identityHash"]);
        Assert.Equal("Ada Lovelace", (string?)IdentifierOf(after, "name")["identityHash"]);
        Assert.Equal(DateTimeOffset.Parse(correctedAt!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), (long)after["nbf"]!);
        Assert.Equal((string?)before["awardedDate"], (string?)after["awardedDate"]);
        Assert.Equal((string?)before["validUntil"], (string?)after["validUntil"]);
    }

    [Fact]
    public async Task A_renewal_reissues_the_badge_with_the_new_expiry()
    {
        var programId = await _api.CreateProgramAsync(Bodies.Program().With("renewal", new Dictionary<string, object?> { ["validity"] = "P1Y", ["pathways"] = new[] { "retakeExam" } }));
        var certificateId = await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-340)));
        var before = OpenBadgeApiTests.PayloadOf(await OpenBadgeApiTests.BadgeAsync(_api, certificateId));

        using var renewed = await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/renewals/exam-result",
            new { cycle = 1, score = 91, completedAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var renewedAt = (string?)JsonNode.Parse(await renewed.Content.ReadAsStringAsync())!["renewalHistory"]!.AsArray()[^1]!["at"];
        var after = OpenBadgeApiTests.PayloadOf(await OpenBadgeApiTests.BadgeAsync(_api, certificateId));

        Assert.Equal((string?)before["id"], (string?)after["id"]);
        Assert.True((long)after["exp"]! > (long)before["exp"]!);
        Assert.Equal(DateTimeOffset.Parse(renewedAt!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), (long)after["nbf"]!);
    }

    public static TheoryData<object, string> BadCorrections => new()
    {
        { new { legalName = "", reason = "Typo." }, "legalName" },
        { new { legalName = "Ada\nBcc: everyone@example.org", reason = "Typo." }, "legalName" },
        { new { legalName = new string('a', 301), reason = "Typo." }, "legalName" },
        { new { legalName = "Ada Lovelace", reason = "" }, "reason" },
        { new { legalName = "Ada Lovelace" }, "reason" },
    };

    [Theory]
    [MemberData(nameof(BadCorrections))]
    public async Task A_bad_correction_is_a_validation_problem_and_changes_nothing(object body, string field)
    {
        var certificateId = await CredentialAsync();
        var before = await RecordAsync(certificateId);

        var problem = await Problem.AssertAsync(await CorrectAsync(certificateId, body), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await RecordAsync(certificateId));
    }

    [Fact]
    public async Task The_same_name_again_is_refused_and_changes_nothing()
    {
        var certificateId = await CredentialAsync();
        var before = await RecordAsync(certificateId);

        await Problem.AssertAsync(await CorrectAsync(certificateId, new { legalName = "Ada King Lovelace", reason = "Typo." }), HttpStatusCode.Conflict, "invalid-transition");

        Assert.Equal(before, await RecordAsync(certificateId));
    }

    [Fact]
    public async Task Only_staff_may_correct_a_name_of_a_well_formed_id()
    {
        var certificateId = await CredentialAsync();

        await Problem.AssertAsync(await CorrectAsync(certificateId, new { legalName = "Someone Else", reason = "Mine now." }, Role.Learner), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await CorrectAsync(certificateId, new { legalName = "Someone Else", reason = "Audit." }, Role.Auditor), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await CorrectAsync("not-an-id", new { legalName = "Someone Else", reason = "Typo." }), HttpStatusCode.BadRequest, "malformed-certificate-id");
    }

    private async Task<string> RecordAsync(string certificateId)
    {
        using var response = await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor);
        return await response.Content.ReadAsStringAsync();
    }
}
