using Microsoft.DurableTask;

namespace CredentialFunctions.Application.Cohorts;

// The cohort run's activities as Durable Task classes; the local host and the tests register them
// through CohortRunTasks.AddCohortRunTasks, and the Functions app calls the same work from its shims.

public sealed class RunCohortBatch(CohortBatchRunner runner) : TaskActivity<CohortBatch, CohortBatchOutcome>
{
    public override Task<CohortBatchOutcome> RunAsync(TaskActivityContext context, CohortBatch input) => runner.RunAsync(input, CancellationToken.None);
}

public sealed class FinishCohortRun(CohortRuns runs) : TaskActivity<CohortRunEnd, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CohortRunEnd input)
    {
        await runs.FinishAsync(input, CancellationToken.None);
        return true;
    }
}

/// <summary>The cohort run's orchestrator and activities, registered by class in one place.</summary>
public static class CohortRunTasks
{
    public static DurableTaskRegistry AddCohortRunTasks(this DurableTaskRegistry tasks)
        => tasks.AddOrchestrator<CohortRunOrchestrator>().AddActivity<RunCohortBatch>().AddActivity<FinishCohortRun>();
}

/// <summary>Cohort runs as running processes (Durable orchestrations in Azure), one per run.</summary>
public interface ICohortRunProcess
{
    /// <summary>Starts the run's orchestration; a second start of the same run is refused by the process, so repeating it is safe.</summary>
    Task StartAsync(CohortRunInput input, CancellationToken cancellationToken);
}
