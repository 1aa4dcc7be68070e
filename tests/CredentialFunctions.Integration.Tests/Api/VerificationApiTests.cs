using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Api;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class VerificationApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private static HttpRequestMessage Verify(string id, string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/verify/{id}");
        // Each test is its own client, so the anonymous rate limit of one test cannot refuse another's request.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        return request;
    }

    /// <summary>A forwarded-for chain as App Service delivers it: what the client claimed, then the address the front end saw, with its port.</summary>
    internal static string NewClient() => $"198.51.100.7, [2001:db8::{Random.Shared.Next(1, 0xFFFF):x}:{Random.Shared.Next(1, 0xFFFF):x}]:{Random.Shared.Next(1024, 65535)}";

    [Fact]
    public async Task Anyone_can_verify_a_credential_and_sees_the_printed_facts_but_not_the_email()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);

        var response = await _api.Client.SendAsync(Verify(certificateId.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal), NewClient()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await response.Content.ReadAsStringAsync();
        var result = JsonNode.Parse(body)!;
        Assert.Equal(certificateId, (string?)result["certificateId"]);
        Assert.True((bool)result["authentic"]!);
        Assert.Equal("active", (string?)result["status"]);
        Assert.Equal("Ada King Lovelace", (string?)result["holderName"]);
        Assert.Equal(("Certified Widgetmaker", "Widget Board"), ((string?)result["program"], (string?)result["issuer"]));
        Assert.NotNull(result["expiresAt"]);
        Assert.DoesNotContain("ada@example.org", body);
        Assert.DoesNotContain("learner-42", body);
        Assert.DoesNotContain("score", body);
    }

    [Fact]
    public async Task A_mistyped_id_and_text_that_is_no_id_are_400s_told_apart_without_reading_the_store()
    {
        var reads = new CountingCredentialStore.Counter();
        await using var host = await ApiHost.StartAsync(_api.CosmosEndpoint, overrides: services =>
            services.AddSingleton<ICredentialStore>(sp => new CountingCredentialStore(ActivatorUtilities.CreateInstance<CosmosCredentialStore>(sp), reads)));
        var id = CertificateId.FromRandomBytes(new byte[15]).Value;
        var typo = id[..3] + (id[3] == 'Z' ? 'Y' : 'Z') + id[4..];

        var mistyped = await Problem.AssertAsync(await host.Client.SendAsync(Verify(typo, NewClient())), HttpStatusCode.BadRequest, "mistyped-certificate-id");
        var malformed = await Problem.AssertAsync(await host.Client.SendAsync(Verify("hello-world", NewClient())), HttpStatusCode.BadRequest, "malformed-certificate-id");

        Assert.Contains("mistyped", mistyped.GetProperty("detail").GetString());
        Assert.Contains("16 characters", malformed.GetProperty("detail").GetString());
        Assert.Equal(0, reads.Value);
    }

    [Fact]
    public async Task A_well_formed_id_that_was_never_issued_is_404()
    {
        var neverIssued = CertificateId.FromRandomBytes(Enumerable.Repeat((byte)7, 15).ToArray()).Value;
        await Problem.AssertAsync(await _api.Client.SendAsync(Verify(neverIssued, NewClient())), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_record_edited_behind_the_apps_back_is_reported_as_not_authentic()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);
        await _api.EditBehindTheAppsBackAsync(certificateId, document => document["holder"]!["legalName"] = "Mallory Forger");

        var body = await _api.Client.SendAsync(Verify(certificateId, NewClient())).ContinueWith(t => t.Result.Content.ReadAsStringAsync()).Unwrap();

        var result = JsonNode.Parse(body)!;
        Assert.False((bool)result["authentic"]!);
        Assert.Null(result["holderName"]);
        Assert.DoesNotContain("Mallory", body);
        Assert.Contains("tamper", (string?)result["problem"]);
    }

    [Fact]
    public async Task A_client_that_verifies_too_fast_gets_429_with_retry_after_and_others_are_unaffected()
    {
        await using var host = await ApiHost.StartAsync(_api.CosmosEndpoint, settings: new Dictionary<string, string?> { ["RateLimit:RequestsPerMinute"] = "5" });
        var client = NewClient();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(Verify("not-an-id", client))).StatusCode);

        var refused = await host.Client.SendAsync(Verify("not-an-id", client));

        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.SendAsync(Verify("not-an-id", NewClient()))).StatusCode);
    }

    [Fact]
    public async Task Health_answers_anonymously()
    {
        var response = await _api.SendAsync(HttpMethod.Get, "/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await ApiHost.ReadJsonAsync(response)).GetProperty("status").GetString());
    }

    /// <summary>Counts reads, to prove a request was answered without touching the store.</summary>
    private sealed class CountingCredentialStore(ICredentialStore inner, CountingCredentialStore.Counter reads) : ICredentialStore
    {
        public sealed class Counter { public int Value; }

        public Task<Versioned<Credential>?> GetAsync(string certificateId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref reads.Value);
            return inner.GetAsync(certificateId, cancellationToken);
        }

        public Task<string?> CreateIfAbsentAsync(Credential credential, CancellationToken cancellationToken) => inner.CreateIfAbsentAsync(credential, cancellationToken);

        public Task<string> ReplaceAsync(Credential credential, string etag, CancellationToken cancellationToken) => inner.ReplaceAsync(credential, etag, cancellationToken);

        public Task<bool> DeleteAsync(string certificateId, string etag, CancellationToken cancellationToken) => inner.DeleteAsync(certificateId, etag, cancellationToken);
    }
}
