using System.Net;
using System.Net.Http.Headers;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class RateLimitApiTests(ApiFixture fixture)
{
    private static HttpRequestMessage Verify(string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/verify/not-an-id");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Fact]
    public async Task A_fresh_forwarded_for_entry_per_request_does_not_buy_a_fresh_bucket_the_front_ends_entry_decides()
    {
        await using var host = await ApiHost.StartAsync(fixture.Host.CosmosEndpoint, settings: new Dictionary<string, string?> { ["RateLimit:RequestsPerMinute"] = "5" });
        // The caller writes whatever it likes on the left; the front end appends the address it saw, each time from another port.
        string Spoofed() => $"198.51.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}, 203.0.113.9:{Random.Shared.Next(1024, 65535)}";
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(Verify(Spoofed()))).StatusCode);

        var refused = await host.Client.SendAsync(Verify(Spoofed()));

        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(Verify("203.0.113.9, 203.0.113.10:443"))).StatusCode);
    }

    [Fact]
    public async Task Writes_are_limited_per_signed_in_caller_with_429_and_retry_after_and_the_refused_write_changes_nothing()
    {
        await using var host = await ApiHost.StartAsync(fixture.Host.CosmosEndpoint, settings: new Dictionary<string, string?> { ["RateLimit:WritesPerMinutePerCaller"] = "3" });
        HttpRequestMessage As(string subject, HttpMethod method, string path, object? body = null)
        {
            var request = host.Request(method, path, body);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.ProgramManager, subject));
            return request;
        }
        HttpRequestMessage CreateProgram(string subject) => As(subject, HttpMethod.Post, "/api/programs", Bodies.Program());
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(CreateProgram("alice"))).StatusCode);
        var before = await host.SnapshotCountsAsync();

        var refused = await host.Client.SendAsync(CreateProgram("alice"));

        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal(before, await host.SnapshotCountsAsync());
        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(CreateProgram("bob"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(As("alice", HttpMethod.Get, "/api/programs/prg-none"))).StatusCode);
    }
}
