using CredentialFunctions.Application.Ports;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Application.Events;

/// <summary>
/// One kind of document whose outbox holds integration events (credentials; applications join with
/// one registration of their own): which documents still owe events, and how to publish them.
/// </summary>
public interface IUnsentEventSource
{
    /// <summary>For logs: "credentials", "applications".</summary>
    string Kind { get; }

    /// <summary>Ids of documents with an event unsent since before <paramref name="before"/>, page by page (an indexed query, not a scan).</summary>
    Task<Page<string>> WithEventsUnsentBeforeAsync(DateTimeOffset before, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Publishes every event the document still owes; throws when one could not be sent.</summary>
    Task PublishAsync(string documentId, CancellationToken cancellationToken);
}

/// <summary>What a repair pass found and published, and how many documents it could not repair (each logged by id).</summary>
public sealed record EventRepairReport(int Examined, int Failed);

/// <summary>
/// The safety net under publishing: an event whose write landed but whose publish did not (the
/// process died between the two, the broker was down) is published by the next pass. Events made a
/// moment ago are left to the use case that is publishing them now; the outbox's claim would stop a
/// double send anyway, this only spares the contention.
/// </summary>
public sealed class EventRepair(IEnumerable<IUnsentEventSource> sources, TimeProvider clock, ILogger<EventRepair> logger)
{
    public const int PageSize = 100;

    /// <summary>Longer than a use case takes from its write to its publish.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(1);

    public async Task<EventRepairReport> RunAsync(CancellationToken cancellationToken)
    {
        var (examined, failed) = (0, 0);
        // One instant for the whole pass: a continuation token belongs to the query and its parameters.
        var before = clock.GetUtcNow() - Settle;
        foreach (var source in sources)
        {
            string? continuation = null;
            do
            {
                var page = await source.WithEventsUnsentBeforeAsync(before, continuation, PageSize, cancellationToken);
                foreach (var id in page.Items)
                {
                    examined++;
                    try
                    {
                        await source.PublishAsync(id, cancellationToken);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        failed++;
                        logger.LogError(e, "Event repair could not publish the events of {Kind} {Id}", source.Kind, id);
                    }
                }
                continuation = page.ContinuationToken;
            } while (continuation is not null);
        }
        logger.LogInformation("Event repair examined {Examined} documents with unsent events, failed on {Failed}", examined, failed);
        return new EventRepairReport(examined, failed);
    }
}
