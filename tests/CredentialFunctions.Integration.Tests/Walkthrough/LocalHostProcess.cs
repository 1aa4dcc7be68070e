using System.Diagnostics;
using System.Text;
using CredentialFunctions.LocalHost;

namespace CredentialFunctions.Integration.Tests.Walkthrough;

/// <summary>
/// The local host as `scripts/run-local.sh` runs it: its own process, from the repository root,
/// reading the app's local settings and starting its own local Cosmos server, maildev and Azurite.
/// Only the address it listens on, where its events go, and what the caller adds, are set here.
/// </summary>
internal sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    public Uri BaseAddress { get; }

    /// <summary>The JSON-lines file the host appends every published event to.</summary>
    public string EventLogPath { get; }

    private LocalHostProcess(Process process, StringBuilder output, Uri baseAddress, string eventLogPath)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        EventLogPath = eventLogPath;
    }

    /// <summary>What the host has written to its console so far, for a failure's message.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="environment">App settings as the host reads them from the environment (<c>Stripe__WebhookSecret</c>).</param>
    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{LocalCosmosServer.FreePort()}");
        var eventLog = Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".local-host.events.jsonl");
        // The host built with these tests: its assembly, runtime config and dependencies sit beside them.
        var start = new ProcessStartInfo("dotnet", [typeof(LocalHostBuilder).Assembly.Location, "--urls", baseAddress.ToString(), "--Events:LocalLogPath", eventLog])
        {
            WorkingDirectory = RepositoryRoot.Find(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new LocalHostProcess(process, output, baseAddress, eventLog);
        try
        {
            await host.WaitUntilHealthyAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Generous: the host starts three Node tools (installing their packages on a first run), and
    /// Azurite alone has taken over 30 s to listen on two busy cores.
    /// </summary>
    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(6);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The local host exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var health = await http.GetAsync("/api/health");
                if (health.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but still starting.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        throw new TimeoutException($"The local host did not answer /api/health in time:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Its Node tools are its children: they go with it.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        _process.Dispose();
    }
}
