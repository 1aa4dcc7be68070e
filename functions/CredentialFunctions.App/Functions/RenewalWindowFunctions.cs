using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Renewal;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// The renewal window's orchestrator and activities as Functions. One-line shims: the source
/// generator that would register the classes is not on our mirror, and the local host and the tests
/// register the same classes (RenewalWindowOrchestrator, PlanRenewalStep, TakeRenewalStep) directly.
/// </summary>
public sealed class RenewalWindowFunctions(RenewalWindowSteps steps, RenewalReconciliation reconciliation, IssuanceReconciliation issuances, RenewalWindowsFactory windows)
{
    [Function(RenewalWindowOrchestrator.Name)]
    public Task<RenewalWindowEnded?> RenewalWindow([OrchestrationTrigger] TaskOrchestrationContext context)
        => new RenewalWindowOrchestrator().RunAsync(context, context.GetInput<RenewalWindowInput>()!);

    [Function(nameof(PlanRenewalStep))]
    public Task<RenewalPlan> Plan([ActivityTrigger] PlanRequest request, CancellationToken cancellationToken)
        => steps.PlanAsync(request.CertificateId, request.Now, cancellationToken);

    [Function(nameof(TakeRenewalStep))]
    public Task<bool> TakeStep([ActivityTrigger] StepRequest request, CancellationToken cancellationToken)
        => steps.TakeStepAsync(request.CertificateId, request.Step, cancellationToken);

    /// <summary>Pending issuances first: a credential they finish gets its window now, not at the next run.</summary>
    [Function("ReconcileRenewalWindows")]
    public async Task<ReconciliationReport> Reconcile(
        [TimerTrigger("%Renewal:ReconcileSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        var renewalWindows = windows(client);
        await issuances.RunAsync(renewalWindows, cancellationToken);
        return await reconciliation.RunAsync(renewalWindows, cancellationToken);
    }
}
