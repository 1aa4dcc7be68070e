using System.Text;
using System.Text.Json;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;

namespace CredentialFunctions.Adapters.Events;

/// <summary>
/// The events channel for local development: each event, as the structured CloudEvent Service Bus
/// would carry, appended as one line to a file a developer can read (or <c>tail -f</c>). Appended,
/// never rewritten, so it is the history of what the app published; an event already in the file
/// is found there, so a re-send after a crash is not written twice.
/// </summary>
public sealed class JsonLinesEventLog(string path, Uri source) : IOutboxTransport
{
    /// <summary>JSON text carries no byte order mark (RFC 8259 §8.1), so neither does a new file.</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly SemaphoreSlim _appending = new(1, 1);

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public OutboxChannel Channel => OutboxChannel.Events;

    public async Task<string> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var integrationEvent = EventOf(entry);
        await AppendAsync([integrationEvent], integrationEvent.Id, cancellationToken);
        return integrationEvent.Id;
    }

    /// <summary>All the entries in one append: a line each, written together.</summary>
    public async Task SendAllAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0) return;
        var events = entries.Select(EventOf).ToList();
        await AppendAsync(events, $"{events[0].Id} and {events.Count - 1} more", cancellationToken);
    }

    private static IntegrationEvent EventOf(OutboxEntry entry)
        => IntegrationEvent.FromPayload(entry.Payload ?? throw new InvalidOperationException($"Outbox entry {entry.Key} has no payload to send."));

    /// <summary>Line by line through one writer: a bulk batch's thousand events are never one string of megabytes.</summary>
    private async Task AppendAsync(IReadOnlyList<IntegrationEvent> events, string what, CancellationToken cancellationToken)
    {
        await _appending.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using var writer = new StreamWriter(Path, append: true, Utf8);
            foreach (var integrationEvent in events)
            {
                await writer.WriteAsync(CloudEventEnvelope.Structured(integrationEvent, source).ToString().AsMemory(), cancellationToken);
                await writer.WriteAsync("\n".AsMemory(), cancellationToken);
            }
        }
        catch (IOException e)
        {
            throw new OutboxDeliveryException($"Could not append event {what} to {Path}: {e.Message}", isTransient: true, e);
        }
        finally
        {
            _appending.Release();
        }
    }

    public async Task<string?> FindSentAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var id = IntegrationEvent.FromPayload(entry.Payload!).Id;
        return (await ReadAsync(cancellationToken)).Any(e => e.GetProperty("id").GetString() == id) ? id : null;
    }

    /// <summary>Every event in the file, oldest first. Not beside an append, which would leave a line half-written to read.</summary>
    public async Task<IReadOnlyList<JsonElement>> ReadAsync(CancellationToken cancellationToken)
    {
        await _appending.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(Path)) return [];
            var lines = await File.ReadAllLinesAsync(Path, cancellationToken);
            return [.. lines.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
        }
        finally
        {
            _appending.Release();
        }
    }
}
