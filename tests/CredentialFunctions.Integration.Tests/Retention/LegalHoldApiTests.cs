using System.Net;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Retention;

/// <summary>The legal hold and purge log routes' refusals: each a problem, each writing nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class LegalHoldApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private static string NewLearner() => "lms:" + Guid.NewGuid().ToString("N")[..8];

    private Task<HttpResponseMessage> PlaceAsync(string path, object? body, Role? role = Role.Administrator)
        => _api.SendAsync(HttpMethod.Post, $"/api/legal-holds/{path}", body, role);

    public static TheoryData<string, object, string> BadPlacings => new()
    {
        { "teams/blue", new { reason = "Litigation" }, "subject" },
        { "learners/%20lms:1", new { reason = "Litigation" }, "subjectId" },
        { "learners/lms:1", new { reason = "" }, "reason" },
        { "learners/lms:1", "{}", "reason" },
        { "learners/lms:1", "{\"reason\": ", "body" },
        { "programs/prg-1", new { reason = new string('r', 1001) }, "reason" },
    };

    [Theory]
    [MemberData(nameof(BadPlacings))]
    public async Task A_bad_placing_or_lifting_is_400_naming_the_field_and_writes_nothing(string path, object body, string field)
    {
        var before = await _api.SnapshotCountsAsync();

        var placing = await Problem.AssertAsync(await PlaceAsync(path, body), HttpStatusCode.BadRequest, "validation");
        var lifting = await Problem.AssertAsync(await PlaceAsync(path + "/lift", body), HttpStatusCode.BadRequest, "validation");

        Assert.True(placing.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {placing}");
        Assert.True(lifting.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {lifting}");
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task A_hold_placed_twice_or_lifted_when_none_stands_is_refused_and_changes_nothing()
    {
        var learner = NewLearner();
        await Problem.AssertAsync(await PlaceAsync($"learners/{learner}/lift", new { reason = "Nothing held" }), HttpStatusCode.NotFound, "not-found");
        using (var placed = await PlaceAsync($"learners/{learner}", new { reason = "Litigation" })) Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var before = await _api.SnapshotCountsAsync();

        await Problem.AssertAsync(await PlaceAsync($"learners/{learner}", new { reason = "Again" }), HttpStatusCode.Conflict, "legal-hold-state");
        using (var lifted = await PlaceAsync($"learners/{learner}/lift", new { reason = "Settled" })) Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        await Problem.AssertAsync(await PlaceAsync($"learners/{learner}/lift", new { reason = "Settled again" }), HttpStatusCode.Conflict, "legal-hold-state");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Theory]
    [InlineData(Role.ProgramManager)]
    [InlineData(Role.Auditor)]
    [InlineData(Role.Learner)]
    public async Task Only_an_administrator_places_or_lifts_a_hold(Role role)
    {
        var before = await _api.SnapshotCountsAsync();

        await Problem.AssertAsync(await PlaceAsync($"learners/{NewLearner()}", new { reason = "Litigation" }, role), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await PlaceAsync($"programs/prg-1/lift", new { reason = "Settled" }, role), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await PlaceAsync($"learners/{NewLearner()}", new { reason = "Litigation" }, role: null), HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Theory]
    [InlineData("/api/legal-holds")]
    [InlineData("/api/purge-log")]
    public async Task Holds_and_the_purge_log_are_read_by_administrators_and_auditors_only(string path)
    {
        using (var auditor = await _api.SendAsync(HttpMethod.Get, path, role: Role.Auditor)) Assert.Equal(HttpStatusCode.OK, auditor.StatusCode);
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, path, role: Role.ProgramManager), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Get, path), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_program_with_a_retention_policy_out_of_bounds_is_refused_naming_the_field()
    {
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, "/api/programs",
            Bodies.Program().With("retention", new { years = 0, after = "credentialEnd", purge = "delete" }), Role.ProgramManager), HttpStatusCode.BadRequest, "validation");
        await Problem.AssertAsync(await _api.SendAsync(HttpMethod.Post, "/api/programs",
            Bodies.Program().With("retention", new { years = 7, after = "hireDate", purge = "delete" }), Role.ProgramManager), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty("retention.years", out _), problem.ToString());
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }
}
