using System.Net;
using System.Net.Http.Headers;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Applications;

/// <summary>
/// Reviewers see the programs they manage: a program that names its managers is reviewed by them
/// and by administrators only; another program manager is refused every reviewer's route, with
/// nothing changed, and does not find its applications in the review list.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApplicationReviewerApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private Task<HttpResponseMessage> AsManagerAsync(string subject, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : ApiHost.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.ProgramManager, subject));
        return _api.Client.SendAsync(request);
    }

    private async Task<IReadOnlyList<string>> ReviewListAsync(string subject, string programId)
    {
        using var response = await AsManagerAsync(subject, HttpMethod.Get, $"/api/applications?programId={programId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await ApiHost.ReadJsonAsync(response)).GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("applicationId").GetString()!)];
    }

    [Fact]
    public async Task Only_the_programs_managers_and_administrators_review_its_applications()
    {
        var manager = $"pm-{Guid.NewGuid():N}"[..12];
        var programId = await _api.CreateProgramAsync(Applicants.Program(fee: false).With("managers", new[] { manager }));
        var (applicationId, _) = await _api.ApplyAsync(programId);
        var before = await _api.ApplicationAsync(applicationId);

        const string stranger = "pm-not-named";
        await Problem.AssertAsync(await AsManagerAsync(stranger, HttpMethod.Get, $"/api/applications/{applicationId}"), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await AsManagerAsync(stranger, HttpMethod.Post, $"/api/applications/{applicationId}/review"), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await AsManagerAsync(stranger, HttpMethod.Post, $"/api/applications/{applicationId}/reject", new { reason = "Not mine to decide" }), HttpStatusCode.Forbidden, "forbidden");
        Assert.DoesNotContain(applicationId, await ReviewListAsync(stranger, programId));
        Assert.Equal(before, await _api.ApplicationAsync(applicationId));

        Assert.Contains(applicationId, await ReviewListAsync(manager, programId));
        using var reviewed = await AsManagerAsync(manager, HttpMethod.Post, $"/api/applications/{applicationId}/review");
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        using var approved = await _api.SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/approve", new { note = "By an administrator" }, Role.Administrator);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Fact]
    public async Task A_program_that_names_no_managers_is_reviewed_by_every_program_manager()
    {
        var programId = await _api.CreateProgramAsync(Applicants.Program(fee: false));
        var (applicationId, _) = await _api.ApplyAsync(programId);

        Assert.Contains(applicationId, await ReviewListAsync("pm-anyone", programId));
        using var reviewed = await AsManagerAsync("pm-anyone", HttpMethod.Post, $"/api/applications/{applicationId}/review");
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_manager_is_refused_and_no_program_is_created(string blank)
    {
        using var response = await _api.SendAsync(HttpMethod.Post, "/api/programs", Applicants.Program().With("managers", new[] { blank }), Role.Administrator);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("managers[0]", out _), problem.ToString());
    }
}
