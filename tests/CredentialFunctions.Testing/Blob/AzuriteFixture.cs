using Azure.Storage.Blobs;
using CredentialFunctions.LocalHost;
using Xunit;

namespace CredentialFunctions.Testing.Blob;

/// <summary>
/// One Azurite Blob service (tools/azurite, in memory) for the lifetime of a test class or
/// collection. Each test takes its own container from <see cref="CreateContainerAsync"/>, so tests
/// sharing the server cannot see each other's blobs.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private LocalBlobServer? _server;
    private int _containerCount;

    private LocalBlobServer Server => _server ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public string ConnectionString => Server.ConnectionString;

    /// <summary>A container no other caller of this fixture has.</summary>
    public async Task<BlobContainerClient> CreateContainerAsync()
    {
        var container = new BlobContainerClient(ConnectionString, $"documents-{Interlocked.Increment(ref _containerCount)}");
        await container.CreateAsync();
        return container;
    }

    /// <summary>The app settings that point a host (ApiHost's <c>settings</c>) at this server, in a container of its own that the host creates.</summary>
    public IDictionary<string, string?> HostSettings() => new Dictionary<string, string?>
    {
        ["Documents:ConnectionString"] = ConnectionString,
        ["Documents:ContainerName"] = $"documents-{Interlocked.Increment(ref _containerCount)}",
        ["Documents:CreateIfMissing"] = "true",
    };

    public async Task InitializeAsync() => _server = await LocalBlobServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
