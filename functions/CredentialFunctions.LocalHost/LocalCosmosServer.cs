using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Runs tools/cosmos-local (the Cosmos-compatible Node server) as a child process and stops it on
/// dispose. The local host and the test fixtures share this, so both run the store the same way.
/// </summary>
public sealed partial class LocalCosmosServer : IAsyncDisposable
{
    /// <summary>The Cosmos DB emulator's published key: the server accepts any key, the SDK wants a base64 one.</summary>
    public const string AccountKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly NodeTool _tool;

    public Uri Endpoint { get; }

    private LocalCosmosServer(NodeTool tool, Uri endpoint)
    {
        _tool = tool;
        Endpoint = endpoint;
    }

    public static async Task<LocalCosmosServer> StartAsync(CancellationToken cancellationToken = default)
    {
        // The SDK must ask the server for query plans (tools/cosmos-local/README.md): on Windows
        // x64 it would otherwise plan locally and rewrite ORDER BY into a form the server cannot run.
        Environment.SetEnvironmentVariable("AZURE_COSMOS_BYPASS_QUERY_PARSING", "true");
        // Port 0: the OS picks a free port and the ready line says which, so two servers starting
        // at once are never handed the same one.
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (tool, endpoint) = await NodeTool.StartAsync("cosmos-local", ["--port", "0"],
            line => { if (ReadyLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups["url"].Value + "/")); },
            stop => listening.Task.WaitAsync(stop), cancellationToken);
        return new LocalCosmosServer(tool, endpoint);
    }

    /// <summary>A free loopback port for a server that must be told its port (Kestrel in end-to-end tests).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => _tool.DisposeAsync();

    [GeneratedRegex(@"^cosmos-local listening on (?<url>http://\S+?)/?$")]
    private static partial Regex ReadyLine();
}

public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CredentialFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the CredentialFunctions repository (CredentialFunctions.sln not found).");
    }
}
