using BenchmarkDotNet.Attributes;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Anchors;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Benchmarks.Verification;

/// <summary>
/// The store round trip verification makes: one point read of a credential by certificate id,
/// through the Cosmos SDK (Gateway mode, keep-alive) against the local Cosmos server on loopback.
/// In Azure the same read is a 1 RU point read; its latency there is the network's, not this.
/// </summary>
public class StorePointReadBenchmarks
{
    private LocalCosmosServer _server = null!;
    private CosmosClient _client = null!;
    private CosmosCredentialStore _store = null!;
    private string _id = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = LocalCosmosServer.StartAsync().GetAwaiter().GetResult();
        var options = new CosmosOptions
        {
            AccountEndpoint = _server.Endpoint.ToString(), AccountKey = LocalCosmosServer.AccountKey,
            DatabaseName = "bench", CreateIfMissing = true,
        };
        _client = CosmosClientFactory.Create(options, new Azure.Identity.DefaultAzureCredential());
        var database = new CredentialDatabase(_client, options);
        database.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
        _store = new CosmosCredentialStore(database, TestAnchors.Anchoring);
        var credential = Sample.Credential(renewals: 3);
        _id = credential.CertificateId;
        _store.TryCreateAsync(credential, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<string> PointRead() => (await _store.GetAsync(_id, CancellationToken.None))!.ETag;

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
