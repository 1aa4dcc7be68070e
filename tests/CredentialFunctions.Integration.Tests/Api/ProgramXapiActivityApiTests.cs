using System.Net;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Programs;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>A program's xapiActivities: validated IRIs, each completing one program at a time.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProgramXapiActivityApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private static Dictionary<string, object?> Naming(params string[] activities) => Bodies.Program().With("xapiActivities", activities);

    private Task<HttpResponseMessage> CreateAsync(object body) => _api.SendAsync(HttpMethod.Post, "/api/programs", body, Role.ProgramManager);

    private Task<HttpResponseMessage> ReviseAsync(string programId, int version, object body)
    {
        var request = _api.Request(HttpMethod.Put, $"/api/programs/{programId}", body, Role.ProgramManager);
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return _api.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_program_keeps_the_activities_it_names_with_its_version()
    {
        var (course, au) = (XapiStatements.NewActivity(), XapiStatements.NewActivity("au") + "?lang=en#part-2");

        var program = await ApiHost.ReadJsonAsync(await CreateAsync(Naming(course, " " + au + " ")));

        Assert.Equal([course, au], program.GetProperty("definition").GetProperty("xapiActivities").EnumerateArray().Select(a => a.GetString()));
    }

    [Theory]
    [InlineData("/courses/42", "xapiActivities[0]")]
    [InlineData("course-42", "xapiActivities[0]")]
    [InlineData("https://lms.example.org/course 42", "xapiActivities[0]")]
    [InlineData("", "xapiActivities[0]")]
    public async Task An_activity_that_is_not_an_absolute_IRI_is_refused_and_nothing_is_written(string activity, string field)
    {
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await CreateAsync(Naming(activity)), HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, await _api.SnapshotCountsAsync());
    }

    [Fact]
    public async Task The_same_activity_twice_or_more_than_twenty_are_refused()
    {
        var twice = XapiStatements.NewActivity();

        var repeated = await Problem.AssertAsync(await CreateAsync(Naming(twice, twice)), HttpStatusCode.BadRequest, "validation");
        var many = await Problem.AssertAsync(await CreateAsync(Naming([.. Enumerable.Range(0, 21).Select(_ => XapiStatements.NewActivity())])), HttpStatusCode.BadRequest, "validation");

        Assert.True(repeated.GetProperty("errors").TryGetProperty("xapiActivities[1]", out _));
        Assert.True(many.GetProperty("errors").TryGetProperty("xapiActivities", out _));
    }

    [Fact]
    public async Task An_activity_another_program_is_completed_by_is_409_naming_that_program_and_nothing_is_written()
    {
        var (held, free) = (XapiStatements.NewActivity(), XapiStatements.NewActivity());
        var holder = await _api.CreateProgramAsync(Naming(held));
        var before = await _api.SnapshotCountsAsync();

        var problem = await Problem.AssertAsync(await CreateAsync(Naming(free, held)), HttpStatusCode.Conflict, "activity-claimed");

        Assert.Contains(holder, problem.GetProperty("errors").GetProperty("xapiActivities[1]")[0].GetString());
        Assert.Equal(before, await _api.SnapshotCountsAsync());
        // The refused program claimed nothing: the free activity is still free.
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(Naming(free))).StatusCode);
    }

    [Fact]
    public async Task A_revision_that_drops_an_activity_frees_it_and_the_program_that_takes_it_keeps_it()
    {
        var activity = XapiStatements.NewActivity();
        var first = await _api.CreateProgramAsync(Naming(activity));
        Assert.Equal(HttpStatusCode.OK, (await ReviseAsync(first, 1, Naming(activity))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await CreateAsync(Naming(activity))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ReviseAsync(first, 2, Bodies.Program())).StatusCode);
        var second = await _api.CreateProgramAsync(Naming(activity));
        var takeBack = await ReviseAsync(first, 3, Naming(activity));

        var problem = await Problem.AssertAsync(takeBack, HttpStatusCode.Conflict, "activity-claimed");
        Assert.Contains(second, problem.GetProperty("detail").GetString() + problem.GetProperty("errors").ToString());
    }

    [Fact]
    public async Task Programs_racing_for_one_activity_end_with_exactly_one_holding_it()
    {
        var activity = XapiStatements.NewActivity();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CreateAsync(Naming(activity))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed }));
    }

    [Fact]
    public async Task A_claim_whose_program_version_was_never_written_holds_for_fifteen_minutes_then_lapses()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var claims = new ActivityClaims(_api.Services.GetRequiredService<IActivityClaimStore>(), _api.Services.GetRequiredService<IProgramStore>(), clock);
        var activity = XapiStatements.NewActivity();
        var neverWritten = A.Program(A.Definition() with { XapiActivities = [activity] }) with { ProgramId = "prg-died-" + Guid.NewGuid().ToString("N") };
        var taker = A.Program(A.Definition() with { XapiActivities = [activity] }) with { ProgramId = "prg-taker-" + Guid.NewGuid().ToString("N") };
        await claims.ClaimAsync(neverWritten, CancellationToken.None);

        clock.Advance(ActivityClaims.UnwrittenClaimLifetime - TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ActivityClaimedException>(() => claims.ClaimAsync(taker, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        await claims.ClaimAsync(taker, CancellationToken.None);

        var claim = await _api.Services.GetRequiredService<IActivityClaimStore>().GetAsync(activity, CancellationToken.None);
        Assert.Equal(taker.ProgramId, claim!.Value.ProgramId);
    }
}
