using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
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

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    public Uri Endpoint { get; }

    private LocalCosmosServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public static async Task<LocalCosmosServer> StartAsync(CancellationToken cancellationToken = default)
    {
        // The SDK must ask the server for query plans (tools/cosmos-local/README.md): on Windows
        // x64 it would otherwise plan locally and rewrite ORDER BY into a form the server cannot run.
        Environment.SetEnvironmentVariable("AZURE_COSMOS_BYPASS_QUERY_PARSING", "true");
        var directory = Path.Combine(RepositoryRoot.Find(), "tools", "cosmos-local");
        await NpmInstall.EnsureAsync(directory, cancellationToken);

        // Port 0: the OS picks a free port and the ready line says which, so two servers starting
        // at once are never handed the same one. --exit-with-stdin: if we die, it does too.
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("node", ["server.js", "--port", "0", "--exit-with-stdin"])
            {
                WorkingDirectory = directory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && ReadyLine().Match(line.Data) is { Success: true } match)
                ready.TrySetResult(new Uri(match.Groups["url"].Value + "/"));
        };
        process.ErrorDataReceived += (_, line) => { lock (errors) errors.AppendLine(line.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"cosmos-local exited before it was ready:\n{Text(errors)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new LocalCosmosServer(process, await ready.Task.WaitAsync(StartTimeout, cancellationToken));
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        static string Text(StringBuilder errors)
        {
            lock (errors) return errors.ToString();
        }
    }

    /// <summary>A free loopback port for a server that must be told its port (Kestrel in end-to-end tests).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

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
