using CredentialFunctions.Application.Cohorts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.Adapters.Durable;

/// <summary>Cohort runs as Durable orchestrations, one instance per run ("cohort-{runId}"), started with the invocation's client.</summary>
public sealed class DurableCohortRuns(DurableTaskClient client) : ICohortRunProcess
{
    public Task StartAsync(CohortRunInput input, CancellationToken cancellationToken)
        => client.ScheduleNewOrchestrationInstanceAsync(CohortRunOrchestrator.Name, input,
            new StartOrchestrationOptions(CohortRunOrchestrator.InstanceId(input.RunId)), cancellationToken);
}
