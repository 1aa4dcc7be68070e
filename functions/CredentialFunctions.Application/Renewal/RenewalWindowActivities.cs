using Microsoft.DurableTask;

namespace CredentialFunctions.Application.Renewal;

// The renewal window's activities as Durable Task classes; every host registers them through
// RenewalWindowTasks.AddRenewalWindowTasks.

public sealed class PlanRenewalStep(RenewalWindowSteps steps) : TaskActivity<PlanRequest, RenewalPlan>
{
    public override Task<RenewalPlan> RunAsync(TaskActivityContext context, PlanRequest input)
        => steps.PlanAsync(input.CertificateId, input.Now, CancellationToken.None);
}

public sealed class TakeRenewalStep(RenewalWindowSteps steps) : TaskActivity<StepRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, StepRequest input)
        => steps.TakeStepAsync(input.CertificateId, input.Step, CancellationToken.None);
}
