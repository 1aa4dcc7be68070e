using System.Net;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>
/// Distinct LMS events for one learner and program racing through the API against the local Cosmos
/// server: whatever arrives at once, one credential of the program is open, and every answer names it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IssuanceRaceApiTests(ApiFixture fixture)
{
    private const int Racers = 12;

    private readonly ApiHost _api = fixture.Host;

    private async Task<(HttpStatusCode Status, string Action, string? CertificateId, string Event)[]> RaceAsync(IEnumerable<Dictionary<string, object?>> completions)
    {
        var bodies = completions.Select(c => JsonSerializer.Serialize(c, CredentialJson.Options)).ToList();
        return await Task.WhenAll(bodies.Select(async body =>
        {
            using var response = await _api.Client.SendAsync(_api.SignedLms(body));
            var json = await ApiHost.ReadJsonAsync(response);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
            return (response.StatusCode, json.GetProperty("action").GetString()!, json.GetProperty("certificateId").GetString(), json.GetProperty("eventId").GetString()!);
        }));
    }

    private async Task<JsonElement> RecordAsync(string certificateId)
        => await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));

    [Fact]
    public async Task Twelve_distinct_passes_at_once_issue_one_credential_and_tell_the_others_it_is_already_held()
    {
        var programId = await _api.CreateProgramAsync();
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var answers = await RaceAsync(Enumerable.Range(0, Racers).Select(_ => Bodies.Completion(programId)));

        var issued = Assert.Single(answers, a => a.Action == "issued");
        Assert.Equal(HttpStatusCode.Created, issued.Status);
        Assert.All(answers.Where(a => a != issued), a => Assert.Equal((HttpStatusCode.OK, "alreadyHeld", issued.CertificateId), (a.Status, a.Action, a.CertificateId)));
        Assert.Equal(before + 1, await _api.CountAsync(CosmosLayout.Credentials));
        Assert.Equal(["start"], fixture.Windows.CallsFor(issued.CertificateId!));
    }

    [Fact]
    public async Task Retakes_racing_in_the_renewal_window_renew_once_and_tell_the_others_it_is_already_held()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-340)));
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var answers = await RaceAsync(Enumerable.Range(0, Racers).Select(_ => Bodies.Completion(programId, score: 91)));

        Assert.All(answers, a => Assert.Equal(certificateId, a.CertificateId));
        Assert.Single(answers, a => a.Action == "renewed");
        Assert.Equal(Racers - 1, answers.Count(a => a.Action == "alreadyHeld"));
        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Credentials));
        var record = await RecordAsync(certificateId);
        Assert.Equal(2, record.GetProperty("cycle").GetInt32());
        Assert.Single(record.GetProperty("renewalHistory").EnumerateArray());
    }

    [Fact]
    public async Task Each_event_delivered_twice_during_the_race_gets_one_answer_and_one_credential_is_issued()
    {
        var programId = await _api.CreateProgramAsync();
        var events = Enumerable.Range(0, Racers / 2).Select(_ => Bodies.Completion(programId)).ToList();
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var answers = await RaceAsync(events.Concat(events));

        var byEvent = answers.GroupBy(a => a.Event).ToList();
        Assert.All(byEvent, deliveries => Assert.Single(deliveries.Select(d => (d.Action, d.CertificateId)).Distinct()));
        var issuedEvent = Assert.Single(byEvent, deliveries => deliveries.First().Action == "issued");
        Assert.All(answers, a => Assert.Equal(issuedEvent.First().CertificateId, a.CertificateId));
        Assert.Equal(before + 1, await _api.CountAsync(CosmosLayout.Credentials));
    }

    [Fact]
    public async Task Passes_racing_after_revocation_issue_exactly_one_new_credential()
    {
        var programId = await _api.CreateProgramAsync();
        var revoked = await _api.IssueAsync(programId);
        using var revocation = await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{revoked}/revocation", new { reason = "Exam misconduct" }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        var answers = await RaceAsync(Enumerable.Range(0, Racers).Select(_ => Bodies.Completion(programId)));

        var issued = Assert.Single(answers, a => a.Action == "issued");
        Assert.NotEqual(revoked, issued.CertificateId);
        Assert.All(answers.Where(a => a != issued), a => Assert.Equal(("alreadyHeld", issued.CertificateId), (a.Action, a.CertificateId)));
        Assert.Equal(before + 1, await _api.CountAsync(CosmosLayout.Credentials));
        Assert.Equal("revoked", (await RecordAsync(revoked)).GetProperty("state").GetString());
    }
}
