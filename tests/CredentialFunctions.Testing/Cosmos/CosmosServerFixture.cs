using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.LocalHost;
using Microsoft.Azure.Cosmos;
using Xunit;

namespace CredentialFunctions.Testing.Cosmos;

/// <summary>
/// One local Cosmos server for the lifetime of a test class or collection. Each test class (or
/// test) takes its own database from <see cref="CreateDatabaseAsync"/>, so tests sharing a server
/// cannot see each other's data.
/// </summary>
public sealed class CosmosServerFixture : IAsyncLifetime
{
    private LocalCosmosServer? _server;
    private CosmosClient? _client;
    private int _databaseCount;

    public Uri Endpoint => _server?.Endpoint ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public string AccountKey => LocalCosmosServer.AccountKey;

    /// <summary>A client owned by the fixture, for tests that do not need one of their own.</summary>
    public CosmosClient Client => _client ?? throw new InvalidOperationException("The fixture has not been initialized.");

    /// <summary>The app's local-server options, plus a typed serializer for tests that use the SDK's typed API.</summary>
    public static CosmosClientOptions LocalGatewayClientOptions()
    {
        var options = CosmosClientFactory.LocalServerOptions();
        options.UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        return options;
    }

    /// <summary>A new client for this server; the caller disposes it.</summary>
    public CosmosClient CreateClient() => new(Endpoint.ToString(), AccountKey, LocalGatewayClientOptions());

    /// <summary>A database no other caller of this fixture has, on the fixture's client.</summary>
    public async Task<Database> CreateDatabaseAsync()
        => (await Client.CreateDatabaseAsync($"test-{Interlocked.Increment(ref _databaseCount)}")).Database;

    public async Task InitializeAsync()
    {
        _server = await LocalCosmosServer.StartAsync();
        _client = CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
