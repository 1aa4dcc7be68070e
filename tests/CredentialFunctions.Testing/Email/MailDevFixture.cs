using System.Net.Http.Json;
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
    private LocalMailServer? _server;
    private HttpClient? _api;

    public int SmtpPort => _server?.SmtpPort ?? throw new InvalidOperationException("The fixture has not been initialized.");

    private HttpClient Api => _api ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public async Task InitializeAsync()
    {
        _server = await LocalMailServer.StartAsync();
        _api = new HttpClient { BaseAddress = _server.WebEndpoint, Timeout = TimeSpan.FromSeconds(5) };
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
    /// <param name="within">How long to wait; 10 seconds unless the messages are due later than that.</param>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForInboxAsync(string address, int count = 1, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
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
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>A message as maildev's REST API describes it (GET /email).</summary>
public sealed record ReceivedEmail(string Id, string Subject, string? Text, string? Html, string MessageId, IReadOnlyList<ReceivedAddress> To, IReadOnlyList<ReceivedAddress> From);

public sealed record ReceivedAddress(string Address, string Name);
