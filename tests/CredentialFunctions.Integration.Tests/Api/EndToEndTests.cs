using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>The whole first slice over real HTTP on the local host, as an LMS, a verifier and staff would use it.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task A_program_a_signed_completion_a_public_verification_and_the_record_for_the_right_roles_only()
    {
        await using var api = await ApiHost.StartAsync(kestrel: true);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/programs") { Content = ApiHost.Json(Bodies.Program()) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.ProgramManager));
        var created = await http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var programId = (await ApiHost.ReadJsonAsync(created)).GetProperty("programId").GetString()!;

        var completion = JsonSerializer.Serialize(Bodies.Completion(programId, score: 91), CredentialJson.Options);
        var issued = await http.SendAsync(api.SignedLms(completion));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var certificateId = (await ApiHost.ReadJsonAsync(issued)).GetProperty("certificateId").GetString()!;

        var verified = await ApiHost.ReadJsonAsync(await http.GetAsync($"/api/verify/{certificateId}"));
        Assert.True(verified.GetProperty("authentic").GetBoolean());
        Assert.Equal("active", verified.GetProperty("status").GetString());

        async Task<HttpStatusCode> ReadRecordAs(Role role, string? learnerId = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, issued.Headers.Location);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(role, learnerId: learnerId));
            return (await http.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await ReadRecordAs(Role.Auditor));
        Assert.Equal(HttpStatusCode.OK, await ReadRecordAs(Role.Learner, IssuanceService.LearnerIdFor("learner-42")));
        Assert.Equal(HttpStatusCode.Forbidden, await ReadRecordAs(Role.Learner, IssuanceService.LearnerIdFor("someone-else")));
    }
}
