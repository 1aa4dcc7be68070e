using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using CredentialFunctions.LocalHost;
using Xunit;

namespace CredentialFunctions.Testing.Email;

/// <summary>
/// A maildev (tools/maildev) for the lifetime of a test class: an SMTP server on a free port that
/// keeps every message, and its REST API to read them back. Tests sharing it tell their messages
/// apart by recipient.
/// </summary>
public sealed class MailDevFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private Process? _process;
    private HttpClient? _api;

    public int SmtpPort { get; private set; }

    private HttpClient Api => _api ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public async Task InitializeAsync()
    {
        var directory = Path.Combine(RepositoryRoot.Find(), "tools", "maildev");
        await NpmInstall.EnsureAsync(directory, CancellationToken.None);
        SmtpPort = LocalCosmosServer.FreePort();
        int webPort;
        do webPort = LocalCosmosServer.FreePort(); while (webPort == SmtpPort);
        _process = new Process
        {
            // --exit-with-stdin: if the test process dies without disposing us, maildev goes too.
            StartInfo = new ProcessStartInfo("node", ["server.js", "--smtp", $"{SmtpPort}", "--web", $"{webPort}", "--ip", "127.0.0.1", "--silent", "--exit-with-stdin"])
            {
                WorkingDirectory = directory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var errors = new StringBuilder();
        _process.ErrorDataReceived += (_, line) => { lock (errors) errors.AppendLine(line.Data); };
        _process.OutputDataReceived += (_, _) => { }; // drained, so a full pipe can never stall it
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilAnsweringAsync(errors);
    }

    private async Task WaitUntilAnsweringAsync(StringBuilder errors)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process!.HasExited)
            {
                lock (errors) throw new InvalidOperationException($"maildev exited ({_process.ExitCode}) before it answered:\n{errors}");
            }

            try
            {
                using var response = await Api.GetAsync("email");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"maildev did not answer on {Api.BaseAddress} within {StartTimeout}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Every message received for <paramref name="address"/> so far, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> InboxAsync(string address)
    {
        var all = await Api.GetFromJsonAsync<List<ReceivedEmail>>("email") ?? [];
        return [.. all.Where(m => m.To.Any(to => string.Equals(to.Address, address, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>
    /// Waits until <paramref name="address"/> has <paramref name="count"/> messages: maildev may
    /// store a message a moment after the SMTP server has accepted it.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForInboxAsync(string address, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var inbox = await InboxAsync(address);
            if (inbox.Count >= count) return inbox;
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"{address} has {inbox.Count} of {count} expected messages.");
            await Task.Delay(50);
        }
    }

    /// <summary>The message as it arrived over SMTP, headers and MIME parts included.</summary>
    public Task<string> SourceAsync(ReceivedEmail email) => Api.GetStringAsync($"email/{Uri.EscapeDataString(email.Id)}/source");

    public async Task DisposeAsync()
    {
        _api?.Dispose();
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>A message as maildev's REST API describes it (GET /email).</summary>
public sealed record ReceivedEmail(string Id, string Subject, string? Text, string? Html, string MessageId, IReadOnlyList<ReceivedAddress> To, IReadOnlyList<ReceivedAddress> From);

public sealed record ReceivedAddress(string Address, string Name);
