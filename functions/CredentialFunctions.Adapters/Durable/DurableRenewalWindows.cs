using CredentialFunctions.Application.Renewal;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.Adapters.Durable;

/// <summary>
/// The renewal windows as Durable orchestrations, one instance per credential ("renewal-{id}").
/// Made per invocation around its <see cref="DurableTaskClient"/> (<see cref="DurableClientAccessor"/>):
/// in Azure that client exists only as a function's [DurableClient] binding (the host hands the
/// worker its address per invocation), and the local host sets the in-memory backend's client.
/// </summary>
public sealed class DurableRenewalWindows(DurableTaskClient client, TimeProvider clock) : IRenewalWindows
{
    private static readonly OrchestrationRuntimeStatus[] Live =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    public static string InstanceId(string certificateId) => $"renewal-{certificateId}";

    public async Task StartAsync(string certificateId, CancellationToken cancellationToken)
    {
        if (!await IsRunningAsync(certificateId, cancellationToken))
        {
            try
            {
                // Replaces a window that ended (a reinstatement after lapse starts a new run under the same id);
                // the dedupe statuses refuse a second start that raced this one past the check above.
                await client.ScheduleNewOrchestrationInstanceAsync(RenewalWindowOrchestrator.Name, new RenewalWindowInput(certificateId),
                    new StartOrchestrationOptions(InstanceId(certificateId)).WithDedupeStatuses(Live), cancellationToken);
                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Another caller may have started it a moment ago (backends report that with different
                // exception types): then it reads the same record and is only woken; if not, this was a real failure.
                if (!await IsRunningAsync(certificateId, cancellationToken)) throw;
            }
        }
        await RaiseAsync(certificateId, new RenewalWindowEvent(RenewalWindowEventKind.RecordChanged, clock.GetUtcNow()), cancellationToken);
    }

    public Task RaiseAsync(string certificateId, RenewalWindowEvent windowEvent, CancellationToken cancellationToken)
        => client.RaiseEventAsync(InstanceId(certificateId), RenewalWindowOrchestrator.ChangedEvent, windowEvent, cancellationToken);

    public async Task<bool> IsRunningAsync(string certificateId, CancellationToken cancellationToken)
        => await client.GetInstanceAsync(InstanceId(certificateId), getInputsAndOutputs: false, cancellationToken) is { } instance
            && Live.Contains(instance.RuntimeStatus);
}
