using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace CredentialFunctions.Benchmarks.Bulk;

/// <summary>
/// The runtime's allocation samples (one event per ~100 KB allocated, naming the type of the object
/// that crossed it) while <see cref="Sampling"/>: by type, where a run's allocations go.
/// </summary>
internal sealed class AllocationTicks : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    public bool Sampling { get; set; }

    /// <summary>The types that took most of the sampled bytes, most first.</summary>
    public IEnumerable<(string Type, long Bytes)> Top(int count) => _bytesByType.OrderByDescending(t => t.Value).Take(count).Select(t => (t.Key, t.Value));

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!Sampling || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is not { } names) return;
        var type = names.IndexOf("TypeName") is var t and >= 0 ? e.Payload![t] as string ?? "(unnamed)" : "(unnamed)";
        var bytes = names.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload![a], System.Globalization.CultureInfo.InvariantCulture) : 0;
        _bytesByType.AddOrUpdate(type, bytes, (_, sum) => sum + bytes);
    }
}
