using CredentialFunctions.Application.Cohorts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// The cohort run's orchestrator and finishing activity as Functions: one-line shims over the classes
/// the local host and the tests register (<see cref="CohortRunTasks"/>).
/// </summary>
public sealed class CohortRunTaskFunctions(CohortRuns runs)
{
    [Function(CohortRunOrchestrator.Name)]
    public Task<CohortCounts> Run([OrchestrationTrigger] TaskOrchestrationContext context)
        => new CohortRunOrchestrator().RunAsync(context, context.GetInput<CohortRunInput>()!);

    [Function(nameof(FinishCohortRun))]
    public Task Finish([ActivityTrigger] CohortRunEnd end, CancellationToken cancellationToken) => runs.FinishAsync(end, cancellationToken);
}

/// <summary>
/// A batch of a cohort run as a Function. Its rows issue credentials, whose renewal windows are
/// started with the client its [DurableClient] parameter binds (<see cref="DurableClientMiddleware"/>):
/// the Functions worker gives an activity no client otherwise.
/// </summary>
public sealed class CohortBatchFunctions(CohortBatchRunner runner)
{
    [Function(nameof(RunCohortBatch))]
    public Task<CohortBatchOutcome> RunBatch([ActivityTrigger] CohortBatch batch, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => runner.RunAsync(batch, cancellationToken);
}
