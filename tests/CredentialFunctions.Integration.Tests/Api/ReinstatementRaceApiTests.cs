using System.Net;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>
/// Reinstatement re-opens a credential, so it answers to the same rule as a pass: against the local
/// Cosmos server through the API, a revoked credential comes back only while no other credential of
/// the learner holds the program, and a reinstatement racing passes leaves exactly one open.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReinstatementRaceApiTests(ApiFixture fixture)
{
    private const int Passes = 6;

    private readonly ApiHost _api = fixture.Host;

    private Task<HttpResponseMessage> PostAsync(string certificateId, string action, string reason)
        => _api.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/{action}", new { reason }, Role.ProgramManager);

    private async Task<string> RecordTextAsync(string certificateId)
        => await (await _api.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor)).Content.ReadAsStringAsync();

    private async Task<string> StateAsync(string certificateId)
        => JsonDocument.Parse(await RecordTextAsync(certificateId)).RootElement.GetProperty("state").GetString()!;

    private async Task<(string Action, string CertificateId)> PassAsync(string programId)
    {
        using var response = await _api.Client.SendAsync(_api.SignedLms(JsonSerializer.Serialize(Bodies.Completion(programId), CredentialJson.Options)));
        var json = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        return (json.GetProperty("action").GetString()!, json.GetProperty("certificateId").GetString()!);
    }

    private async Task<string> RevokedCredentialAsync(string programId)
    {
        var revoked = await _api.IssueAsync(programId);
        using var revocation = await PostAsync(revoked, "revocation", "Exam misconduct");
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        return revoked;
    }

    [Fact]
    public async Task Reinstating_a_revoked_credential_after_a_pass_issued_another_answers_409_naming_it_and_changes_nothing()
    {
        var programId = await _api.CreateProgramAsync();
        var revoked = await RevokedCredentialAsync(programId);
        var (action, issued) = await PassAsync(programId);
        Assert.Equal("issued", action);
        var (counts, record, windowCalls) = (await _api.SnapshotCountsAsync(), await RecordTextAsync(revoked), string.Join(",", fixture.Windows.CallsFor(revoked)));

        var problem = await Problem.AssertAsync(await PostAsync(revoked, "reinstatement", "Appeal upheld"), HttpStatusCode.Conflict, "program-held");

        Assert.Contains(issued, problem.GetProperty("detail").GetString());
        Assert.Equal((counts, record, windowCalls), (await _api.SnapshotCountsAsync(), await RecordTextAsync(revoked), string.Join(",", fixture.Windows.CallsFor(revoked))));
        Assert.Equal("active", await StateAsync(issued));
        Assert.Equal(("alreadyHeld", issued), await PassAsync(programId));
    }

    [Fact]
    public async Task Reinstating_a_revoked_credential_whose_holding_names_it_holds_the_program_against_later_passes()
    {
        var programId = await _api.CreateProgramAsync();
        var revoked = await RevokedCredentialAsync(programId);
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        using var reinstatement = await PostAsync(revoked, "reinstatement", "Appeal upheld");

        Assert.Equal(HttpStatusCode.OK, reinstatement.StatusCode);
        Assert.Equal(("alreadyHeld", revoked), await PassAsync(programId));
        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Credentials));
    }

    [Fact]
    public async Task A_reinstatement_racing_passes_leaves_exactly_one_credential_of_the_program_open_and_every_answer_names_it()
    {
        // The reinstatement is sent before, among and after the passes, and once one of them has answered,
        // so it lands before, between and after their writes.
        foreach (var sentAfter in new[] { 0, 1, Passes / 2, Passes })
        foreach (var afterAnAnswer in sentAfter == Passes ? new[] { false, true } : [false])
        {
            var programId = await _api.CreateProgramAsync();
            var revoked = await RevokedCredentialAsync(programId);
            var before = await _api.CountAsync(CosmosLayout.Credentials);

            var sending = Enumerable.Range(0, sentAfter).Select(_ => PassAsync(programId)).ToList();
            if (afterAnAnswer) await Task.WhenAny(sending);
            var reinstating = PostAsync(revoked, "reinstatement", "Appeal upheld");
            sending.AddRange(Enumerable.Range(0, Passes - sentAfter).Select(_ => PassAsync(programId)));
            var passes = await Task.WhenAll(sending);
            using var reinstatement = await reinstating;

            var issued = passes.Where(p => p.Action == "issued").Select(p => p.CertificateId).ToList();
            string open;
            if (reinstatement.StatusCode == HttpStatusCode.OK)
            {
                Assert.Empty(issued);
                open = revoked;
            }
            else
            {
                open = Assert.Single(issued);
                var problem = await ApiHost.ReadJsonAsync(reinstatement);
                // Refused for the credential a pass issued, or while that pass was still being written (try again).
                Assert.Contains(((int)reinstatement.StatusCode, problem.GetProperty("type").GetString()!), new[]
                {
                    (409, "urn:credential-functions:problem:program-held"), (412, "urn:credential-functions:problem:conflict"),
                });
                Assert.Equal("revoked", await StateAsync(revoked));
            }
            Assert.All(passes, p => Assert.Equal(open, p.CertificateId));
            Assert.Equal("active", await StateAsync(open));
            Assert.Equal(before + issued.Count, await _api.CountAsync(CosmosLayout.Credentials));
        }
    }
}
