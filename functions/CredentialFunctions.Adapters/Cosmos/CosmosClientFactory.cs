using Azure.Core;
using Microsoft.Azure.Cosmos;

namespace CredentialFunctions.Adapters.Cosmos;

public static class CosmosClientFactory
{
    /// <summary>
    /// In Azure: the managed identity (the account has key auth disabled) and Direct mode. With a key:
    /// the local Cosmos-compatible server, which speaks only the Gateway protocol on one endpoint.
    /// </summary>
    public static CosmosClient Create(CosmosOptions options, TokenCredential credential)
    {
        if (string.IsNullOrWhiteSpace(options.AccountEndpoint))
            throw new InvalidOperationException($"Setting {CosmosOptions.Section}__{nameof(CosmosOptions.AccountEndpoint)} is required.");
        return string.IsNullOrEmpty(options.AccountKey)
            ? new CosmosClient(options.AccountEndpoint, credential, new CosmosClientOptions { ApplicationName = "credential-functions" })
            : new CosmosClient(options.AccountEndpoint, options.AccountKey, LocalServerOptions());
    }

    /// <summary>
    /// Gateway mode because the local server speaks only the gateway's HTTP protocol; LimitToEndpoint
    /// because the account it describes lists its own address as https, which the SDK would switch to.
    /// </summary>
    public static CosmosClientOptions LocalServerOptions() => new()
    {
        ApplicationName = "credential-functions",
        ConnectionMode = ConnectionMode.Gateway,
        LimitToEndpoint = true,
        // Drop idle connections before the server's five-minute keep-alive does, so no request
        // lands on a connection the server is closing at that moment.
        HttpClientFactory = () => new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }),
    };
}
