using Microsoft.DurableTask;

namespace CredentialFunctions.Application.Cohorts;

/// <param name="Parallelism">How many batches run at once: enough to keep the store busy, few enough that one run does not crowd out the LMS's own passes.</param>
public sealed record CohortRunInput(string RunId, int Batches, int Parallelism = CohortRunOrchestrator.DefaultParallelism);

/// <summary>A batch to run: the run and the batch's number, from 1. The rows are read from the store, so the input stays small.</summary>
public sealed record CohortBatch(string RunId, int Batch);

/// <summary>What a batch did; <paramref name="Cancelled"/> when the run was cancelled before it started, so it did nothing.</summary>
public sealed record CohortBatchOutcome(int Batch, CohortCounts Counts, bool Cancelled = false);

/// <summary>The end of a run: the batches that still failed after their retries, whose rows were not done.</summary>
public sealed record CohortRunEnd(string RunId, IReadOnlyList<int> FailedBatches);

/// <summary>
/// One cohort run, fanned out over its stored batches and fanned back in: at most
/// <see cref="CohortRunInput.Parallelism"/> batches at a time, the next started as one ends, until
/// every batch is done or a batch reports the run cancelled; then the run is marked finished.
/// Deterministic: all I/O is in the activities, and the history holds one activity per batch
/// (400 for 100,000 learners), whatever the cohort's size.
/// </summary>
[DurableTask(Name)]
public sealed class CohortRunOrchestrator : TaskOrchestrator<CohortRunInput, CohortCounts>
{
    public const string Name = "CohortRun";

    public const int DefaultParallelism = 8;

    /// <summary>A batch retried whole rides out a store hiccup: every row's work is idempotent.</summary>
    public static readonly TaskOptions BatchRetries = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(15), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5)));

    public static string InstanceId(string runId) => $"cohort-{runId}";

    public override async Task<CohortCounts> RunAsync(TaskOrchestrationContext context, CohortRunInput input)
    {
        var running = new Dictionary<Task<CohortBatchOutcome>, int>();
        var (next, counts, cancelled, failed) = (1, CohortCounts.None, false, new List<int>());
        void StartNext()
        {
            running.Add(context.CallActivityAsync<CohortBatchOutcome>(nameof(RunCohortBatch), new CohortBatch(input.RunId, next), BatchRetries), next);
            next++;
        }

        while (next <= input.Batches && running.Count < input.Parallelism) StartNext();
        while (running.Count > 0)
        {
            var ended = await Task.WhenAny(running.Keys);
            var batch = running[ended];
            running.Remove(ended);
            try
            {
                var outcome = await ended;
                cancelled |= outcome.Cancelled;
                counts += outcome.Counts;
            }
            catch (TaskFailedException)
            {
                // Its rows stay undone and the run says which batch; the other batches carry on.
                failed.Add(batch);
            }
            if (!cancelled && next <= input.Batches) StartNext();
        }

        failed.Sort();
        await context.CallActivityAsync(nameof(FinishCohortRun), new CohortRunEnd(input.RunId, failed), BatchRetries);
        return counts;
    }
}
