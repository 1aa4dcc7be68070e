using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Starts tools/cosmos-local (the Cosmos-compatible Node server) on a free loopback port and stops
/// it on dispose. The local host and the test fixtures share this, so both run the store the same way.
/// </summary>
public sealed class LocalCosmosServer : IAsyncDisposable
{
    /// <summary>The local server accepts any key; this is the emulator's well-known one, so tools that expect a key are happy.</summary>
    public const string AccountKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly Process _process;

    public Uri Endpoint { get; }

    private LocalCosmosServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public static async Task<LocalCosmosServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(RepositoryRoot.Find(), "tools", "cosmos-local");
        await EnsureInstalledAsync(directory, cancellationToken);
        var port = FreePort();
        var start = new ProcessStartInfo("node", ["server.js", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("listening", StringComparison.Ordinal) == true) ready.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"cosmos-local exited with {process.ExitCode}: {errors}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new LocalCosmosServer(process, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Installs the server's npm packages once; a lock file keeps parallel test projects from racing.</summary>
    private static async Task EnsureInstalledAsync(string directory, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(directory, "node_modules", ".package-lock.json"))) return;
        await using var gate = await FileGate.AcquireAsync(Path.Combine(directory, ".install.lock"), cancellationToken);
        if (File.Exists(Path.Combine(directory, "node_modules", ".package-lock.json"))) return;
        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("Could not start npm.");
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.StandardOutput.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {directory} failed: {await stderr}");
    }

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
}

/// <summary>An exclusive lock on a file, across processes.</summary>
internal sealed class FileGate(FileStream stream) : IAsyncDisposable
{
    public static async Task<FileGate> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileGate(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}

public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CredentialFunctions.sln"))) return dir.FullName;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CredentialFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the CredentialFunctions repository (CredentialFunctions.sln not found).");
    }
}
