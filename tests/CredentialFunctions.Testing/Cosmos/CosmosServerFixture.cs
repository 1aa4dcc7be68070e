using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.Cosmos;
using Xunit;

namespace CredentialFunctions.Testing.Cosmos;

/// <summary>
/// Runs tools/cosmos-local (an in-memory Cosmos DB speaking the gateway protocol) as a child process
/// for the lifetime of a test class or collection. Each test class (or test) takes its own database
/// from <see cref="CreateDatabaseAsync"/>, so tests sharing a server cannot see each other's data.
/// </summary>
public sealed partial class CosmosServerFixture : IAsyncLifetime, IDisposable
{
    /// <summary>The Cosmos DB emulator's published key: the server accepts any key, the SDK wants a base64 one.</summary>
    public const string WellKnownAccountKey =
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder serverErrors = new();
    private Process? server;
    private CosmosClient? client;
    private int databaseCount;

    public Uri Endpoint { get; private set; } = null!;

    public string AccountKey => WellKnownAccountKey;

    /// <summary>A client owned by the fixture, for tests that do not need one of their own.</summary>
    public CosmosClient Client => client ?? throw new InvalidOperationException("The fixture has not been initialized.");

    /// <summary>
    /// How any client must be configured for the local server. Gateway mode because the server
    /// speaks only the gateway's HTTP protocol; LimitToEndpoint because the account it describes
    /// lists its own address as https, which the SDK would otherwise switch to.
    /// </summary>
    public static CosmosClientOptions LocalGatewayClientOptions() => new()
    {
        ConnectionMode = ConnectionMode.Gateway,
        LimitToEndpoint = true,
        UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase },
        // Our own handler so that the client drops an idle connection before the server does
        // (its keep-alive timeout is five minutes); a request on a connection the server is
        // closing at that moment would fail.
        HttpClientFactory = () => new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }),
    };

    /// <summary>A new client for this server; the caller disposes it.</summary>
    public CosmosClient CreateClient() => new(Endpoint.ToString(), AccountKey, LocalGatewayClientOptions());

    /// <summary>A database no other caller of this fixture has, on the fixture's client.</summary>
    public async Task<Database> CreateDatabaseAsync()
    {
        var id = $"test-{Interlocked.Increment(ref databaseCount)}";
        return (await Client.CreateDatabaseAsync(id)).Database;
    }

    public async Task InitializeAsync()
    {
        // The SDK must ask the server for query plans (see tools/cosmos-local/README.md): on
        // Windows x64 it would otherwise plan locally and rewrite ORDER BY into a form the
        // server cannot run. Elsewhere it asks anyway; the setting makes that explicit.
        Environment.SetEnvironmentVariable("AZURE_COSMOS_BYPASS_QUERY_PARSING", "true");
        var toolDirectory = Path.Combine(FindRepositoryRoot(), "tools", "cosmos-local");
        await EnsurePackagesInstalledAsync(toolDirectory);
        Endpoint = await StartServerAsync(toolDirectory);
        client = CreateClient();
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        client?.Dispose();
        client = null;
        if (server is null) return;
        if (!server.HasExited) server.Kill(entireProcessTree: true);
        server.WaitForExit();
        server.Dispose();
        server = null;
    }

    private async Task<Uri> StartServerAsync(string toolDirectory)
    {
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Port 0: the OS picks a free port and the ready line tells us which, so two fixtures
        // starting at once can never be handed the same one.
        server = new Process
        {
            StartInfo = new ProcessStartInfo("node", ["server.js", "--port", "0", "--exit-with-stdin"])
            {
                WorkingDirectory = toolDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        server.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && ReadyLine().Match(line.Data) is { Success: true } match)
                ready.TrySetResult(new Uri(match.Groups["url"].Value));
        };
        server.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (serverErrors) serverErrors.AppendLine(line.Data);
        };
        server.Exited += (_, _) => ready.TrySetException(
            new InvalidOperationException($"cosmos-local exited before it was ready:\n{ServerErrors()}"));
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        try
        {
            return await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            server.Kill(entireProcessTree: true);
            throw new TimeoutException($"cosmos-local was not ready within {StartTimeout.TotalSeconds} s:\n{ServerErrors()}");
        }
    }

    private string ServerErrors()
    {
        lock (serverErrors) return serverErrors.ToString();
    }

    /// <summary>
    /// Installs the server's packages once per checkout. Test projects run in parallel processes,
    /// so the install holds an exclusive lock file; whoever waited finds the packages installed.
    /// </summary>
    private static async Task EnsurePackagesInstalledAsync(string toolDirectory)
    {
        // npm writes this file last, so a half-finished install does not count as installed.
        var installedMarker = Path.Combine(toolDirectory, "node_modules", ".package-lock.json");
        if (File.Exists(installedMarker)) return;

        var directoryHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(toolDirectory)))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"cosmos-local-{directoryHash}.lock");
        using var installLock = await AcquireExclusiveAsync(lockPath);
        if (File.Exists(installedMarker)) return;

        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        using var install = Process.Start(new ProcessStartInfo(npm, ["ci", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = toolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = install.StandardOutput.ReadToEndAsync();
        var errors = install.StandardError.ReadToEndAsync();
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
            throw new InvalidOperationException(
                $"npm ci in {toolDirectory} failed with exit code {install.ExitCode}:\n{await output}\n{await errors}");
    }

    private static async Task<FileStream> AcquireExclusiveAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CredentialFunctions.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No CredentialFunctions.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^cosmos-local listening on (?<url>http://\S+)$")]
    private static partial Regex ReadyLine();
}
