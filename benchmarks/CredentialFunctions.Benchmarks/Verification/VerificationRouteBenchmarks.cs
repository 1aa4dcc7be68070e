using BenchmarkDotNet.Attributes;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Testing.Api;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Benchmarks.Verification;

/// <summary>
/// The whole public verification route as a verifier meets it — an HTTP GET over loopback to the
/// local host on Kestrel, the pipeline's admission and rate limit, the point read, the tamper check,
/// the JSON answer or the verification page a browser gets — against the raw SDK point read of the same document on the same local Cosmos
/// server, in one run. The ratio is what the route adds on top of the store's round trip.
/// </summary>
[MemoryDiagnoser]
public class VerificationRouteBenchmarks
{
    private ApiHost _host = null!;
    private Container _credentials = null!;
    private HttpClient _verifier = null!;
    private string _id = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The rate limit would refuse a benchmark's thousands of requests from one address in a minute.
        _host = ApiHost.StartAsync(kestrel: true, settings: new Dictionary<string, string?> { ["RateLimit:RequestsPerMinute"] = "100000000" })
            .GetAwaiter().GetResult();
        var programId = _host.CreateProgramAsync().GetAwaiter().GetResult();
        _id = _host.IssueAsync(programId).GetAwaiter().GetResult();
        _credentials = _host.Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.Credentials);
        _verifier = new HttpClient { BaseAddress = _host.BaseAddress };
    }

    [Benchmark(Baseline = true, Description = "SDK point read (stream)")]
    public async Task<long> SdkPointRead()
    {
        using var response = await _credentials.ReadItemStreamAsync(_id, new PartitionKey(_id));
        response.EnsureSuccessStatusCode();
        return response.Content.Length;
    }

    [Benchmark(Description = "GET /api/verify/{id} over HTTP")]
    public async Task<int> VerifyOverHttp()
    {
        using var response = await _verifier.GetAsync($"/api/verify/{_id}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark(Description = "GET /api/verify/{id} over HTTP, as the page (Accept: text/html)")]
    public async Task<int> VerificationPageOverHttp()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/verify/{_id}");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await _verifier.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _verifier.Dispose();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
