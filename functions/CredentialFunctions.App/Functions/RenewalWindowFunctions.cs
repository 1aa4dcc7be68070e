using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.StatusLists;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// The daily reconciliation: pending issuances, the renewal windows, then the status lists. The
/// windows' orchestrator and activities need no [Function] shims: Program.cs registers them by class
/// (<see cref="RenewalWindowTasks"/>), the Durable extension's DurableMetadataTransformer lists each
/// registered task to the host under its task name with its trigger, and its DurableFunctionExecutor
/// runs the registered class when the host invokes that function. ClassRegisteredTaskFunctionsTests
/// checks both on the worker Program.cs builds.
/// </summary>
public sealed class RenewalWindowFunctions(RenewalReconciliation reconciliation, IssuanceReconciliation issuances, StatusListReconciliation statusLists)
{
    /// <summary>
    /// Pending issuances first: a credential they finish gets its window now, not at the next run. The
    /// [DurableClient] parameter binds the client both use (<see cref="DurableClientMiddleware"/>).
    /// </summary>
    [Function("ReconcileRenewalWindows")]
    public async Task<ReconciliationReport> Reconcile(
        [TimerTrigger("%Renewal:ReconcileSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        await issuances.RunAsync(cancellationToken);
        var report = await reconciliation.RunAsync(cancellationToken);
        await statusLists.RunAsync(cancellationToken);
        return report;
    }
}
