using Microsoft.DurableTask;

namespace CredentialFunctions.Application.Renewal;

/// <summary>
/// The renewal window's orchestrator and activities, registered by class in one place: the Functions
/// app, the local host and the tests add the same tasks under the same names.
/// </summary>
public static class RenewalWindowTasks
{
    public static DurableTaskRegistry AddRenewalWindowTasks(this DurableTaskRegistry tasks)
        => tasks.AddOrchestrator<RenewalWindowOrchestrator>().AddActivity<PlanRenewalStep>().AddActivity<TakeRenewalStep>();
}
