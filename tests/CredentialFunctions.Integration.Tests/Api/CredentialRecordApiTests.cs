using System.Net;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class CredentialRecordApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private async Task<string> IssuedAsync() => await _api.IssueAsync(await _api.CreateProgramAsync());

    [Theory]
    [InlineData(Role.Administrator)]
    [InlineData(Role.ProgramManager)]
    [InlineData(Role.Auditor)]
    public async Task Staff_read_the_full_record_with_its_audit_trail(Role role)
    {
        var certificateId = await IssuedAsync();

        var response = await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: role);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var record = await ApiHost.ReadJsonAsync(response);
        Assert.Equal("ada@example.org", record.GetProperty("holder").GetProperty("email").GetString());
        Assert.Equal(70m, record.GetProperty("passThreshold").GetDecimal());
        var issued = Assert.Single(record.GetProperty("auditTrail").EnumerateArray());
        Assert.Equal("integration:lms", issued.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task A_message_refused_for_good_shows_on_the_full_record_with_the_providers_answer()
    {
        var certificateId = await IssuedAsync();
        var updater = _api.Services.GetRequiredService<CredentialUpdater>();
        await updater.UpdateUnauditedAsync(certificateId, c => c
            .ClaimOutboxEntry(OutboxEntry.Pending("c1:issued:1", OutboxChannel.Email, "Issued", "{}"), "send-1", DateTimeOffset.UtcNow, OutboxPolicy.Lease)!
            .RecordOutboxFailed("c1:issued:1", "EmailDeliveryException: 550 5.1.1 no such mailbox", permanently: true), CancellationToken.None);

        var record = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));

        var entry = record.GetProperty("outbox").GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("key").GetString() == "c1:issued:1");
        Assert.Equal(("email", "failedPermanently", 1), (entry.GetProperty("channel").GetString(), entry.GetProperty("state").GetString(), entry.GetProperty("attempts").GetInt32()));
        Assert.Contains("550 5.1.1 no such mailbox", entry.GetProperty("failure").GetString());
    }

    [Fact]
    public async Task The_learner_it_belongs_to_reads_it_and_another_learner_is_refused()
    {
        var certificateId = await IssuedAsync();
        var owner = IssuanceService.LearnerIdFor("learner-42");

        var own = await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Learner, learnerId: owner);
        var other = await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Learner, learnerId: IssuanceService.LearnerIdFor("learner-43"));
        var noLearnerId = await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Learner);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        await Problem.AssertAsync(other, HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(noLearnerId, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Without_a_token_the_record_is_401()
    {
        var certificateId = await IssuedAsync();
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_mistyped_or_unknown_id_is_told_apart()
    {
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, "/api/credentials/nope", role: Role.Auditor), HttpStatusCode.BadRequest, "malformed-certificate-id");
        var never = Domain.Credentials.CertificateId.FromRandomBytes(Enumerable.Repeat((byte)9, 15).ToArray()).Value;
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{never}", role: Role.Auditor), HttpStatusCode.NotFound, "not-found");
    }
}
