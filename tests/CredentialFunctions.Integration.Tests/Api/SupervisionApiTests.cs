using System.Net;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SupervisionApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private static string NewLearner() => "lms:" + Guid.NewGuid().ToString("N")[..8];

    private Task<HttpResponseMessage> AssignAsync(string learnerId, object body, Role role = Role.ProgramManager)
        => _api.SendAsync(HttpMethod.Post, $"/api/learners/{learnerId}/supervisors", body, role);

    private async Task<JsonElement> ListAsync(string learnerId)
        => await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/learners/{learnerId}/supervisors", role: Role.Auditor));

    private static IEnumerable<string?> Supervisors(JsonElement answer) => answer.GetProperty("supervisors").EnumerateArray().Select(s => s.GetProperty("supervisorId").GetString());

    [Fact]
    public async Task A_program_manager_assigns_and_unassigns_supervisors_and_each_change_is_kept_in_the_history()
    {
        var learner = NewLearner();
        Assert.Empty(Supervisors(await ListAsync(learner)));

        var assigned = await ApiHost.ReadJsonAsync(await AssignAsync(learner, new { supervisorId = "sup-1" }));
        var again = await ApiHost.ReadJsonAsync(await AssignAsync(learner, new { supervisorId = "sup-1" }));
        await AssignAsync(learner, new { supervisorId = "sup-2" }, Role.Administrator);
        var unassigned = await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Delete, $"/api/learners/{learner}/supervisors/sup-1", role: Role.ProgramManager));

        Assert.Equal(["sup-1"], Supervisors(assigned));
        Assert.Equal(assigned.ToString(), again.ToString());
        Assert.Equal(["sup-2"], Supervisors(unassigned));
        Assert.Equal(["sup-2"], Supervisors(await ListAsync(learner)));
        var history = unassigned.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("change").GetString(), h.GetProperty("supervisorId").GetString(), h.GetProperty("by").GetString())).ToList();
        Assert.Equal([("assigned", "sup-1", "user:tester"), ("assigned", "sup-2", "user:tester"), ("unassigned", "sup-1", "user:tester")], history);
    }

    [Fact]
    public async Task Assignments_made_at_the_same_moment_are_all_kept()
    {
        var learner = NewLearner();
        var supervisors = Enumerable.Range(0, 6).Select(i => $"sup-{i}").ToList();

        var answers = await Task.WhenAll(supervisors.Select(s => AssignAsync(learner, new { supervisorId = s })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var stored = await ListAsync(learner);
        Assert.Equal(supervisors, Supervisors(stored).Order());
        Assert.Equal(supervisors.Count, stored.GetProperty("history").GetArrayLength());
    }

    public static TheoryData<string, object?, string> BadAssignments => new()
    {
        { "{\"supervisorId\": ", null, "body" },
        { "{}", null, "supervisorId" },
        { "{\"supervisorId\": \"\"}", null, "supervisorId" },
        { "{\"supervisorId\": \" sup-1\"}", null, "supervisorId" },
        { "{\"supervisorId\": \"sup\\u0000\"}", null, "supervisorId" },
        { "{\"supervisorId\": 42}", null, "supervisorId" },
        { "", new { supervisorId = new string('s', 201) }, "supervisorId" },
    };

    [Theory]
    [MemberData(nameof(BadAssignments))]
    public async Task A_bad_assignment_is_400_naming_the_field_and_writes_nothing(string raw, object? body, string field)
    {
        var learner = NewLearner();
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await AssignAsync(learner, body ?? raw), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_learner_id_too_long_is_400_and_unassigning_someone_not_assigned_is_404()
    {
        var before = await _api.SnapshotCountsAsync();
        await Problem.AssertAsync(await AssignAsync("lms:" + new string('1', 200), new { supervisorId = "sup-1" }), HttpStatusCode.BadRequest, "validation");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Delete, $"/api/learners/{NewLearner()}/supervisors/sup-1", role: Role.ProgramManager), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_learner_has_at_most_the_cap_of_supervisors()
    {
        var learner = NewLearner();
        for (var i = 0; i < Domain.Learners.LearnerSupervisors.MaxSupervisors; i++)
            Assert.Equal(HttpStatusCode.OK, (await AssignAsync(learner, new { supervisorId = $"sup-{i}" })).StatusCode);
        var before = await ListAsync(learner);

        await Problem.AssertAsync(await AssignAsync(learner, new { supervisorId = "one-more" }), HttpStatusCode.Conflict, "limit-reached");

        Assert.Equal(before.ToString(), (await ListAsync(learner)).ToString());
    }

    [Theory]
    [InlineData("POST", Role.Supervisor)]
    [InlineData("POST", Role.Learner)]
    [InlineData("POST", Role.Auditor)]
    [InlineData("DELETE", Role.Supervisor)]
    [InlineData("GET", Role.Learner)]
    public async Task Only_program_managers_and_administrators_assign_and_the_wrong_role_is_403(string method, Role role)
    {
        var learner = NewLearner();
        await AssignAsync(learner, new { supervisorId = "sup-1" });
        var before = await _api.SnapshotCountsAsync();
        var path = method == "DELETE" ? $"/api/learners/{learner}/supervisors/sup-1" : $"/api/learners/{learner}/supervisors";

        await Problem.AssertAsync(await _api.SendAsync(new HttpMethod(method), path, method == "POST" ? new { supervisorId = "sup-2" } : null, role), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
        Assert.Equal(["sup-1"], Supervisors(await ListAsync(learner)));
    }

    [Fact]
    public async Task The_learners_container_holds_one_document_per_learner()
    {
        var learner = NewLearner();
        var before = await _api.CountAsync(CosmosLayout.Learners);
        await AssignAsync(learner, new { supervisorId = "sup-1" });
        await AssignAsync(learner, new { supervisorId = "sup-2" });
        Assert.Equal(before + 1, await _api.CountAsync(CosmosLayout.Learners));
    }
}
