using System.Collections.Concurrent;
using System.Reflection;
using CredentialFunctions.LocalHost;
using DurableTask.Core;

namespace CredentialFunctions.Benchmarks.Renewal;

/// <summary>
/// Sits between the in-memory Durable backend and its dispatcher. It notes, each time an
/// orchestration episode completes, how many history events the execution holds (one execution is
/// one cycle: a renewal continues as new, which starts a fresh history). And it can lift the
/// backend's limit of concurrent work items, which the in-memory service sets to the processor
/// count (2 here) where real backends admit dozens.
/// </summary>
internal class BackendProbe : OrchestrationServiceProxy
{
    private int? _concurrentWorkItems;

    public ConcurrentDictionary<string, int> EventsByExecution { get; } = new();

    public static (IOrchestrationService Service, BackendProbe Probe) Wrap(IOrchestrationService inner, int? concurrentWorkItems = null)
    {
        var (service, probe) = Wrap<BackendProbe>(inner);
        probe._concurrentWorkItems = concurrentWorkItems;
        return (service, probe);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (_concurrentWorkItems is { } limit
            && method!.Name is "get_" + nameof(IOrchestrationService.MaxConcurrentTaskOrchestrationWorkItems) or "get_" + nameof(IOrchestrationService.MaxConcurrentTaskActivityWorkItems))
            return limit;
        if (method!.Name == nameof(IOrchestrationService.CompleteTaskOrchestrationWorkItemAsync)
            && args?[0] is TaskOrchestrationWorkItem { OrchestrationRuntimeState: { OrchestrationInstance: { } instance } state })
            EventsByExecution.AddOrUpdate($"{instance.InstanceId}/{instance.ExecutionId}", state.Events.Count, (_, seen) => Math.Max(seen, state.Events.Count));
        return Forward(method, args);
    }
}
