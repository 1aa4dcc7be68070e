using CredentialFunctions.Application.Renewal;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// The daily reconciliation of the renewal windows. The windows' orchestrator and activities need no
/// function classes: Program.cs registers them by class (AddRenewalWindowTasks), and the Durable
/// extension exposes each registered task as a function of the same name.
/// </summary>
public sealed class RenewalWindowFunctions(RenewalReconciliation reconciliation, RenewalWindowsFactory windows)
{
    [Function("ReconcileRenewalWindows")]
    public Task<ReconciliationReport> Reconcile(
        [TimerTrigger("%Renewal:ReconcileSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
        => reconciliation.RunAsync(windows(client), cancellationToken);
}
