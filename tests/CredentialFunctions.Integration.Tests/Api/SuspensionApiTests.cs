using System.Net;
using System.Text.Json;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.StatusLists;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>Suspending and lifting a suspension through the API: verification, the audit trail, the status lists, and every refusal changing nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class SuspensionApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    /// <summary>Completed 340 days ago under a one-year program: in its renewal window.</summary>
    private async Task<string> CredentialAsync()
    {
        var programId = await _api.CreateProgramAsync();
        return await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-340)));
    }

    private async Task<JsonElement> RecordAsync(string certificateId)
        => await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));

    private async Task<string?> VerifiedStatusAsync(string certificateId)
        => (await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/verify/{certificateId}"))).GetProperty("status").GetString();

    private Task<HttpResponseMessage> PostAsync(string certificateId, string action, object body, Role role = Role.ProgramManager)
        => _api.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/{action}", body, role);

    private async Task<bool> BitAsync(JsonElement record, StatusPurpose purpose)
    {
        var entry = record.GetProperty("statusLists").GetProperty(purpose == StatusPurpose.Revocation ? "revocation" : "suspension");
        var list = await _api.Services.GetRequiredService<IStatusListStore>().GetAsync(StatusList.IdOf(purpose, entry.GetProperty("list").GetInt32()), CancellationToken.None);
        return list!.Value.Bits[entry.GetProperty("index").GetInt32()];
    }

    [Fact]
    public async Task Issuance_gives_the_credential_an_entry_in_a_revocation_and_a_suspension_list()
    {
        var record = await RecordAsync(await CredentialAsync());
        var lists = record.GetProperty("statusLists");
        Assert.Equal(("revocation", "suspension"), (lists.GetProperty("revocation").GetProperty("purpose").GetString(), lists.GetProperty("suspension").GetProperty("purpose").GetString()));
        Assert.False(await BitAsync(record, StatusPurpose.Revocation));
        Assert.False(await BitAsync(record, StatusPurpose.Suspension));
    }

    [Fact]
    public async Task A_suspended_credential_verifies_as_suspended_with_its_bit_set_and_lifting_gives_back_the_renewal_window()
    {
        var id = await CredentialAsync();
        Assert.Equal("inRenewalWindow", await VerifiedStatusAsync(id));

        var suspended = await ApiHost.ReadJsonAsync(await PostAsync(id, "suspension", new { reason = "Complaint under review" }));

        Assert.Equal("Complaint under review", suspended.GetProperty("suspension").GetProperty("reason").GetString());
        Assert.Equal("suspended", suspended.GetProperty("auditTrail").EnumerateArray().Last().GetProperty("action").GetString());
        Assert.Equal("suspended", await VerifiedStatusAsync(id));
        Assert.True(await BitAsync(suspended, StatusPurpose.Suspension));
        Assert.False(await BitAsync(suspended, StatusPurpose.Revocation));
        // The clock runs on: the renewal window is not told.
        Assert.Equal(["start"], fixture.Windows.CallsFor(id));

        var lifted = await ApiHost.ReadJsonAsync(await PostAsync(id, "suspension-lift", new { reason = "Complaint dismissed" }, Role.Administrator));

        Assert.False(lifted.TryGetProperty("suspension", out _));
        Assert.Equal("suspensionLifted", lifted.GetProperty("auditTrail").EnumerateArray().Last().GetProperty("action").GetString());
        Assert.Equal("inRenewalWindow", await VerifiedStatusAsync(id));
        Assert.False(await BitAsync(lifted, StatusPurpose.Suspension));
    }

    [Fact]
    public async Task Revocation_sets_the_revocation_bit_and_reinstatement_gives_a_fresh_index_leaving_the_old_one_set()
    {
        var id = await CredentialAsync();
        var revoked = await ApiHost.ReadJsonAsync(await PostAsync(id, "revocation", new { reason = "Exam misconduct" }));
        Assert.True(await BitAsync(revoked, StatusPurpose.Revocation));

        var reinstated = await ApiHost.ReadJsonAsync(await PostAsync(id, "reinstatement", new { reason = "Appeal upheld" }));

        Assert.False(await BitAsync(reinstated, StatusPurpose.Revocation));
        Assert.True(await BitAsync(revoked, StatusPurpose.Revocation));
        Assert.NotEqual(revoked.GetProperty("statusLists").GetProperty("revocation").GetProperty("index").GetInt32(),
            reinstated.GetProperty("statusLists").GetProperty("revocation").GetProperty("index").GetInt32());
    }

    public static TheoryData<string, object> BadReasons => new()
    {
        { "suspension", new { reason = "" } },
        { "suspension", new { reason = "Inquiry\nBcc: everyone@example.org" } },
        { "suspension", new { reason = new string('r', 1001) } },
        { "suspension", new { } },
        { "suspension-lift", new { reason = "   " } },
    };

    [Theory]
    [MemberData(nameof(BadReasons))]
    public async Task A_missing_or_bad_reason_is_400_naming_it_and_changes_nothing(string action, object body)
    {
        var id = await CredentialAsync();
        if (action == "suspension-lift") Assert.Equal(HttpStatusCode.OK, (await PostAsync(id, "suspension", new { reason = "Inquiry" })).StatusCode);
        var before = await RecordAsync(id);

        var problem = await Problem.AssertAsync(await PostAsync(id, action, body), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), problem.ToString());
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
    }

    [Theory]
    [InlineData("suspension", "[]")]
    [InlineData("suspension-lift", "{\"reason\": ")]
    public async Task Malformed_json_is_400(string action, string body)
        => await Problem.AssertAsync(await PostAsync(await CredentialAsync(), action, body), HttpStatusCode.BadRequest, "validation");

    [Fact]
    public async Task Suspending_twice_lifting_what_is_not_suspended_and_suspending_a_revoked_credential_are_409_and_change_nothing()
    {
        var id = await CredentialAsync();
        await Problem.AssertAsync(await PostAsync(id, "suspension-lift", new { reason = "Nothing to lift" }), HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(id, "suspension", new { reason = "Inquiry" })).StatusCode);
        var suspended = await RecordAsync(id);
        await Problem.AssertAsync(await PostAsync(id, "suspension", new { reason = "Again" }), HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal(suspended.ToString(), (await RecordAsync(id)).ToString());

        var other = await CredentialAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(other, "revocation", new { reason = "Fraud" })).StatusCode);
        var revoked = await RecordAsync(other);
        await Problem.AssertAsync(await PostAsync(other, "suspension", new { reason = "Inquiry" }), HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal(revoked.ToString(), (await RecordAsync(other)).ToString());
    }

    [Theory]
    [InlineData("suspension", Role.Learner)]
    [InlineData("suspension", Role.Auditor)]
    [InlineData("suspension-lift", Role.Supervisor)]
    public async Task The_wrong_role_is_403_and_changes_nothing(string action, Role role)
    {
        var id = await CredentialAsync();
        var before = await RecordAsync(id);
        await Problem.AssertAsync(await PostAsync(id, action, new { reason = "x" }, role), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before.ToString(), (await RecordAsync(id)).ToString());
    }

    [Fact]
    public async Task Without_a_token_it_is_401_and_an_unknown_or_mistyped_credential_is_404_or_400()
    {
        var id = await CredentialAsync();
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/suspension", new { reason = "x" }), HttpStatusCode.Unauthorized, "unauthenticated");
        var never = Domain.Credentials.CertificateId.FromRandomBytes(Enumerable.Repeat((byte)5, 15).ToArray()).Value;
        await Problem.AssertAsync(await PostAsync(never, "suspension", new { reason = "x" }), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await PostAsync("ABCD", "suspension-lift", new { reason = "x" }), HttpStatusCode.BadRequest, "malformed-certificate-id");
    }
}
