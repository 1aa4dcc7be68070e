using CredentialFunctions.Application.Cohorts;
using Microsoft.DurableTask;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Cohorts;

/// <summary>
/// The cohort run's fan-out and fan-in on a strict Moq'd <see cref="TaskOrchestrationContext"/>:
/// each batch's activity is a task the test completes when it likes, so which batches run at once,
/// and what starts when one ends, is seen call by call.
/// </summary>
public sealed class CohortRunOrchestratorTests
{
    private readonly Mock<TaskOrchestrationContext> _context = new(MockBehavior.Strict);
    private readonly Dictionary<int, TaskCompletionSource<CohortBatchOutcome>> _batches = [];
    private readonly List<int> _started = [];
    private CohortRunEnd? _end;

    public CohortRunOrchestratorTests()
    {
        _context.Setup(c => c.CallActivityAsync<CohortBatchOutcome>(It.Is<TaskName>(n => n.Name == nameof(RunCohortBatch)), It.IsAny<object>(), CohortRunOrchestrator.BatchRetries))
            .Returns((TaskName _, object input, TaskOptions _) =>
            {
                var batch = (CohortBatch)input;
                Assert.Equal("run-1", batch.RunId);
                _started.Add(batch.Batch);
                return (_batches[batch.Batch] = new TaskCompletionSource<CohortBatchOutcome>()).Task;
            });
        _context.Setup(c => c.CallActivityAsync(It.Is<TaskName>(n => n.Name == nameof(FinishCohortRun)), It.IsAny<object>(), CohortRunOrchestrator.BatchRetries))
            .Returns((TaskName _, object input, TaskOptions _) =>
            {
                _end = (CohortRunEnd)input;
                return Task.CompletedTask;
            });
    }

    private Task<CohortCounts> Run(int batches, int parallelism)
        => new CohortRunOrchestrator().RunAsync(_context.Object, new CohortRunInput("run-1", batches, parallelism));

    private void Done(int batch, int issued, int failed = 0) => _batches[batch].SetResult(new CohortBatchOutcome(batch, new CohortCounts(Issued: issued, Failed: failed)));

    [Fact]
    public async Task At_most_the_parallelism_runs_at_once_the_next_batch_starts_as_one_ends_and_the_counts_are_added_up()
    {
        var run = Run(batches: 5, parallelism: 2);
        Assert.Equal([1, 2], _started);

        Done(2, issued: 250);
        Assert.Equal([1, 2, 3], _started);
        Done(1, issued: 240, failed: 10);
        Assert.Equal([1, 2, 3, 4], _started);
        Done(3, issued: 250);
        Done(4, issued: 250);
        Assert.Equal([1, 2, 3, 4, 5], _started);
        Assert.Null(_end);
        Done(5, issued: 99);
        Assert.Equal("run-1", _end!.RunId);

        Assert.Equal(new CohortCounts(Issued: 1089, Failed: 10), await run);
        Assert.Empty(_end!.FailedBatches);
    }

    [Fact]
    public async Task A_batch_that_found_the_run_cancelled_stops_the_fan_out_and_the_batches_running_finish_and_count()
    {
        var run = Run(batches: 6, parallelism: 2);

        _batches[1].SetResult(new CohortBatchOutcome(1, CohortCounts.None, Cancelled: true));
        Assert.Equal([1, 2], _started);
        Done(2, issued: 250);

        Assert.Equal(new CohortCounts(Issued: 250), await run);
        Assert.Equal([1, 2], _started);
        Assert.Empty(_end!.FailedBatches);
    }

    [Fact]
    public async Task A_batch_whose_retries_are_spent_is_named_at_the_end_and_the_other_batches_carry_on()
    {
        var run = Run(batches: 4, parallelism: 2);

        _batches[2].SetException(new TaskFailedException(nameof(RunCohortBatch), 2, new TaskFailureDetails("CosmosException", "Service unavailable", null, null, null)));
        Done(1, issued: 250);
        Done(3, issued: 250);
        Assert.Equal([1, 2, 3, 4], _started);
        Done(4, issued: 10);

        Assert.Equal(new CohortCounts(Issued: 510), await run);
        Assert.Equal([2], _end!.FailedBatches);
    }

    [Fact]
    public async Task A_run_smaller_than_the_parallelism_starts_every_batch_at_once()
    {
        var run = Run(batches: 3, parallelism: CohortRunOrchestrator.DefaultParallelism);
        Assert.Equal([1, 2, 3], _started);

        Done(3, issued: 1);
        Done(1, issued: 1);
        Done(2, issued: 1);

        Assert.Equal(new CohortCounts(Issued: 3), await run);
    }
}
