using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Bulk;

/// <summary>
/// What keeps a run's counts right under retries, against the local Cosmos server: a batch of a
/// cancelled run does nothing, a retried batch or row repeats nothing, and the failures page.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CohortRunStoreTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;
    private readonly ICohortRunStore _store = fixture.Host.Services.GetRequiredService<ICohortRunStore>();

    private async Task<CohortRun> StoredRunAsync(string programId, int learners)
    {
        var run = new CohortRun($"run-T{Guid.NewGuid():N}"[..16], programId, CohortRunKind.Issuance, "user:tester", "JSON body", DateTimeOffset.UtcNow, learners, CohortIntake.BatchSize);
        var rows = Enumerable.Range(1, learners).Select(i => new CohortRow(i, $"{run.RunId}-{i}", $"Learner {i}", $"l{i}@example.org", DateTimeOffset.UtcNow.AddDays(-1), 90)).ToList();
        await _store.CreateAsync(run, rows, CancellationToken.None);
        return run;
    }

    [Fact]
    public async Task A_batch_of_a_run_cancelled_before_it_started_does_nothing_and_writes_no_result()
    {
        var run = await StoredRunAsync(await _api.CreateProgramAsync(), 3);
        await _api.Services.GetRequiredService<CohortRuns>().CancelAsync(run.ProgramId, run.RunId, CancellationToken.None);
        var before = await _api.CountAsync(CosmosLayout.Credentials);

        await using var scope = _api.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<CohortBatchRunner>().RunAsync(new CohortBatch(run.RunId, 1), CancellationToken.None);

        Assert.True(outcome.Cancelled);
        Assert.Null(await _store.ResultAsync(run.RunId, 1, CancellationToken.None));
        Assert.Equal(before, await _api.CountAsync(CosmosLayout.Credentials));
    }

    [Fact]
    public async Task A_batch_run_again_answers_its_stored_result_and_its_rows_handled_again_answer_what_they_did_and_issue_nothing_more()
    {
        var run = await StoredRunAsync(await _api.CreateProgramAsync(), 3);
        await using var scope = _api.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<CohortBatchRunner>();

        var first = await runner.RunAsync(new CohortBatch(run.RunId, 1), CancellationToken.None);
        var credentials = await _api.CountAsync(CosmosLayout.Credentials);
        var again = await runner.RunAsync(new CohortBatch(run.RunId, 1), CancellationToken.None);
        // As a batch retried after a crash between its rows and its result: each credential, created under the batch's ledger, answers.
        var handler = (ICohortBatchHandler)scope.ServiceProvider.GetServices<ICohortRowHandler>().Single(h => h.Kind == CohortRunKind.Issuance);
        var rows = await _store.RowsAsync(run.RunId, 1, CancellationToken.None);
        var retried = await handler.HandleBatchAsync(run, 1, rows, (row, ct) => handler.HandleAsync(run, row, ct), CancellationToken.None);
        // One row alone goes the LMS pass's way, which finds the learner holding the credential.
        var alone = await handler.HandleAsync(run, rows[0], CancellationToken.None);

        Assert.Equal(new CohortCounts(Issued: 3), first.Counts);
        Assert.Equal(first.Counts, again.Counts);
        Assert.All(retried, o => Assert.Equal(CohortRowStatus.Issued, o.Status));
        Assert.Equal(new CohortRowOutcome(CohortRowStatus.AlreadyHeld, retried[0].CertificateId), alone);
        Assert.Equal(credentials, await _api.CountAsync(CosmosLayout.Credentials));
        Assert.Equal(new CohortCounts(Issued: 3), await _store.CountsAsync(run.RunId, CancellationToken.None));
    }

    [Fact]
    public async Task Finishing_a_run_deletes_the_rows_of_every_batch_those_already_gone_too_and_its_status_still_reads()
    {
        var run = await StoredRunAsync(await _api.CreateProgramAsync(), 2 * CohortIntake.BatchSize + 1);
        await _store.SaveResultAsync(new CohortBatchResult(run.RunId, 1, new CohortCounts(Issued: CohortIntake.BatchSize - 1, Failed: 1), [new(3, $"{run.RunId}-3", "Why not.")]), CancellationToken.None);
        // As a finish retried after it died partway: batch 2's rows are gone already.
        var container = _api.Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.CohortRuns);
        using (var deleted = await container.DeleteItemStreamAsync($"{run.RunId}:rows:2", new PartitionKey(run.RunId))) deleted.EnsureSuccessStatusCode();
        var runs = _api.Services.GetRequiredService<CohortRuns>();

        await runs.FinishAsync(new CohortRunEnd(run.RunId, [2, 3]), CancellationToken.None);

        for (var batch = 1; batch <= 3; batch++) await Assert.ThrowsAsync<NotFoundException>(() => _store.RowsAsync(run.RunId, batch, CancellationToken.None));
        Assert.DoesNotContain(await _api.DocumentsAsync(CosmosLayout.CohortRuns), d => d.Contains(run.RunId, StringComparison.Ordinal) && d.Contains("@example.org", StringComparison.Ordinal));
        var status = await runs.StatusAsync(run.ProgramId, run.RunId, null, CancellationToken.None);
        Assert.Equal((true, CohortIntake.BatchSize, 1, CohortIntake.BatchSize + 1, 3), (status.Finished, status.Done, status.Failed, status.Unfinished, Assert.Single(status.Failures).Row));
    }

    [Fact]
    public async Task Failures_come_in_row_order_a_few_batches_a_page_and_a_token_from_elsewhere_is_refused()
    {
        var run = await StoredRunAsync("prg-PAGING", 7 * CohortIntake.BatchSize);
        for (var batch = 1; batch <= 7; batch++)
        {
            var failures = batch == 3 ? [] : new List<CohortFailure> { new(batch * 1000, $"l-{batch}", "Why not.") };
            await _store.SaveResultAsync(new CohortBatchResult(run.RunId, batch, new CohortCounts(Issued: 250 - failures.Count, Failed: failures.Count), failures), CancellationToken.None);
        }
        // A retried batch writes its result again: still one result of the batch.
        await _store.SaveResultAsync(new CohortBatchResult(run.RunId, 7, new CohortCounts(Issued: 249, Failed: 1), [new(7000, "l-7", "Why not.")]), CancellationToken.None);

        var first = await _store.FailuresAsync(run.RunId, null, CancellationToken.None);
        var second = await _store.FailuresAsync(run.RunId, first.ContinuationToken, CancellationToken.None);

        Assert.Equal([1000, 2000, 4000, 5000], first.Items.Select(f => f.Row));
        Assert.Equal([6000, 7000], second.Items.Select(f => f.Row));
        Assert.Null(second.ContinuationToken);
        Assert.Equal(new CohortCounts(Issued: 7 * 250 - 6, Failed: 6), await _store.CountsAsync(run.RunId, CancellationToken.None));
        await Assert.ThrowsAsync<ValidationFailedException>(() => _store.FailuresAsync(run.RunId, "-1", CancellationToken.None));
    }
}
