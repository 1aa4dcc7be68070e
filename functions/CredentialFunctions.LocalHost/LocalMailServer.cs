using System.Diagnostics;
using System.Text;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Runs tools/maildev (an SMTP server that keeps every message and shows it in a web UI and a REST
/// API) as a child process and stops it on dispose. The local host starts one when no email
/// transport is configured, and the email tests start their own.
/// </summary>
public sealed class LocalMailServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    public int SmtpPort { get; }

    /// <summary>The web UI, and the REST API under it (GET email).</summary>
    public Uri WebEndpoint { get; }

    private LocalMailServer(Process process, int smtpPort, Uri webEndpoint)
    {
        _process = process;
        SmtpPort = smtpPort;
        WebEndpoint = webEndpoint;
    }

    /// <param name="smtpPort">Null picks a free port.</param>
    /// <param name="webPort">Null picks a free port.</param>
    public static async Task<LocalMailServer> StartAsync(int? smtpPort = null, int? webPort = null, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(RepositoryRoot.Find(), "tools", "maildev");
        await NpmInstall.EnsureAsync(directory, cancellationToken);
        var smtp = smtpPort ?? LocalCosmosServer.FreePort();
        var web = webPort ?? LocalCosmosServer.FreePort();
        while (web == smtp) web = LocalCosmosServer.FreePort();
        var process = new Process
        {
            // --exit-with-stdin: if our process dies without disposing this, maildev goes too.
            StartInfo = new ProcessStartInfo("node", ["server.js", "--smtp", $"{smtp}", "--web", $"{web}", "--ip", "127.0.0.1", "--silent", "--exit-with-stdin"])
            {
                WorkingDirectory = directory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, line) => { lock (errors) errors.AppendLine(line.Data); };
        process.OutputDataReceived += (_, _) => { }; // drained, so a full pipe can never stall it
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LocalMailServer(process, smtp, new Uri($"http://127.0.0.1:{web}/"));
        try
        {
            await server.WaitUntilAnsweringAsync(errors, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilAnsweringAsync(StringBuilder errors, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = WebEndpoint, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                lock (errors) throw new InvalidOperationException($"maildev exited ({_process.ExitCode}) before it answered:\n{errors}");
            }
            try
            {
                using var response = await http.GetAsync("email", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"maildev did not answer on {WebEndpoint} within {StartTimeout}.");
            await Task.Delay(100, cancellationToken);
        }
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
