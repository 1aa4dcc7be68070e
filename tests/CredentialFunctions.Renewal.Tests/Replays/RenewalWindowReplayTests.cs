using CredentialFunctions.Adapters.Durable;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using CredentialFunctions.Testing.Durable;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.Renewal.Tests.Replays;

/// <summary>
/// Real runs on Durable Task's in-memory backend (real timers, real replays) over the local Cosmos
/// server, with programs whose durations are seconds. Each test is one short cycle. The machine may
/// be slow and loaded: every wait is on a condition, with a deadline derived from the cycle's length.
/// </summary>
public sealed class RenewalWindowReplayTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>, IAsyncLifetime
{
    /// <summary>The credential's whole cycle (issue to follow-up) three times over, and a minute for hosts and servers to start on a busy machine.</summary>
    private static TimeSpan Patience(Credential credential) => 3 * (credential.Schedule!.FollowUpAt - credential.IssuedAt) + TimeSpan.FromMinutes(1);

    private readonly RecordingSender _sender = new();
    private InMemoryDurableBackend _backend = null!;
    private CredentialStoreScope _store = null!;

    public async Task InitializeAsync()
    {
        _backend = await InMemoryDurableBackend.StartAsync();
        _store = await CredentialStoreScope.CreateAsync(cosmos);
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<RenewalWorker> StartWorkerAsync() => _backend.StartWorkerAsync(_store.Store, _sender);

    private Task<Credential> IssueAsync(RenewalTerms terms, byte seed) => _store.AddAsync(A.Credential(terms, DateTimeOffset.UtcNow, seed));

    private static DurableRenewalWindows Windows(RenewalWorker worker) => new(worker.Client, TimeProvider.System);

    private static async Task<OrchestrationMetadata> CompletionAsync(RenewalWorker worker, Credential credential)
    {
        using var timeout = new CancellationTokenSource(Patience(credential));
        return await worker.Client.WaitForInstanceCompletionAsync(DurableRenewalWindows.InstanceId(credential.CertificateId), getInputsAndOutputs: true, timeout.Token);
    }

    private async Task UntilSentAsync(Credential credential, string deliveryKey)
    {
        using var timeout = new CancellationTokenSource(Patience(credential));
        while ((await _store.ReadAsync(credential.CertificateId)).Outbox.Find(deliveryKey) is not { State: OutboxState.Sent })
            await Task.Delay(100, timeout.Token);
    }

    private async Task UntilAsleepAsync(Credential credential)
    {
        using var timeout = new CancellationTokenSource(Patience(credential));
        await _backend.UntilAsleepAsync(DurableRenewalWindows.InstanceId(credential.CertificateId), timeout.Token);
    }

    private static async Task PastAsync(DateTimeOffset instant)
    {
        var wait = instant - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    [Fact]
    public async Task A_whole_cycle_runs_from_issue_through_reminders_grace_and_lapse_to_the_follow_up()
    {
        await using var worker = await StartWorkerAsync();
        var credential = await IssueAsync(A.Terms("PT8S", ["PT6S", "PT3S"], grace: "PT2S", followUp: "PT2S"), 1);

        await Windows(worker).StartAsync(credential.CertificateId, CancellationToken.None);
        var done = await CompletionAsync(worker, credential);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["c1:issued:1", "c1:reminder:PT6S", "c1:reminder:PT3S", "c1:grace", "c1:lapse", "c1:lapse-follow-up"], _sender.KeysFor(credential.CertificateId));
        var stored = await _store.ReadAsync(credential.CertificateId);
        Assert.Equal(CredentialState.Lapsed, stored.State);
        Assert.All(stored.Outbox.Entries, e => Assert.Equal(OutboxState.Sent, e.State));
        Assert.True(stored.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public async Task A_renewal_mid_window_continues_as_new_into_the_next_cycle()
    {
        await using var worker = await StartWorkerAsync();
        // Six seconds between the reminder the test waits for and the next, in which the renewal lands.
        var credential = await IssueAsync(A.Terms("PT12S", ["PT9S", "PT3S"], grace: "PT2S", followUp: "PT2S"), 2);
        var windows = Windows(worker);
        await windows.StartAsync(credential.CertificateId, CancellationToken.None);

        await UntilSentAsync(credential, "c1:reminder:PT9S");
        await _store.Updater.UpdateAsync(credential.CertificateId, c => c.Renew(RenewalPathway.RetakeExam, DateTimeOffset.UtcNow, "lms"), CancellationToken.None);
        await windows.RaiseAsync(credential.CertificateId, new RenewalWindowEvent(RenewalWindowEventKind.Renewed, DateTimeOffset.UtcNow), CancellationToken.None);

        await UntilSentAsync(credential, "c2:reminder:PT9S");
        await _store.Updater.UpdateAsync(credential.CertificateId, c => c.Revoke(DateTimeOffset.UtcNow, "pm", "end of test"), CancellationToken.None);
        await windows.RaiseAsync(credential.CertificateId, new RenewalWindowEvent(RenewalWindowEventKind.Revoked, DateTimeOffset.UtcNow), CancellationToken.None);
        var done = await CompletionAsync(worker, credential);

        Assert.Equal(new RenewalWindowEnded(credential.CertificateId, 2), done.ReadOutputAs<RenewalWindowEnded>());
        Assert.Equal(["c1:issued:1", "c1:reminder:PT9S", "c2:renewed:4", "c2:reminder:PT9S"], _sender.KeysFor(credential.CertificateId));
    }

    [Fact]
    public async Task Starting_a_window_twice_runs_one_window()
    {
        await using var worker = await StartWorkerAsync();
        var credential = await IssueAsync(A.Terms("PT4S", ["PT2S"], grace: "PT1S", followUp: "PT1S"), 3);
        var windows = Windows(worker);

        await Task.WhenAll(windows.StartAsync(credential.CertificateId, CancellationToken.None), windows.StartAsync(credential.CertificateId, CancellationToken.None));
        await windows.StartAsync(credential.CertificateId, CancellationToken.None);
        Assert.True(await windows.IsRunningAsync(credential.CertificateId, CancellationToken.None));
        await CompletionAsync(worker, credential);

        Assert.Equal(["c1:issued:1", "c1:reminder:PT2S", "c1:grace", "c1:lapse", "c1:lapse-follow-up"], _sender.KeysFor(credential.CertificateId));
    }

    [Fact]
    public async Task A_worker_restart_mid_cycle_sends_the_missed_reminder_late_and_no_reminder_twice()
    {
        var first = await StartWorkerAsync();
        // Six seconds between the two reminders: the worker stops in between, well before the second falls due.
        var credential = await IssueAsync(A.Terms("PT12S", ["PT10S", "PT4S"], grace: "PT2S", followUp: "PT2S"), 4);
        var missed = credential.Schedule!.Reminders[^1].At;
        await Windows(first).StartAsync(credential.CertificateId, CancellationToken.None);
        await UntilSentAsync(credential, "c1:reminder:PT10S");
        await UntilAsleepAsync(credential);
        await first.DisposeAsync();

        await PastAsync(missed);
        Assert.Equal(["c1:issued:1", "c1:reminder:PT10S"], _sender.KeysFor(credential.CertificateId));

        await using var second = await StartWorkerAsync();
        await CompletionAsync(second, credential);
        Assert.Equal(["c1:issued:1", "c1:reminder:PT10S", "c1:reminder:PT4S", "c1:grace", "c1:lapse", "c1:lapse-follow-up"], _sender.KeysFor(credential.CertificateId));
    }

    [Fact]
    public async Task Reinstatement_after_the_window_ended_starts_a_new_run_for_the_next_cycle()
    {
        await using var worker = await StartWorkerAsync();
        var credential = await IssueAsync(A.Terms("PT3S", ["PT1S"], grace: "PT1S", followUp: "PT1S"), 5);
        var windows = Windows(worker);
        await windows.StartAsync(credential.CertificateId, CancellationToken.None);
        await CompletionAsync(worker, credential);

        await _store.Updater.UpdateAsync(credential.CertificateId, c => c.Reinstate(DateTimeOffset.UtcNow, "pm", "appeal upheld"), CancellationToken.None);
        await windows.StartAsync(credential.CertificateId, CancellationToken.None);
        await UntilSentAsync(credential, "c2:reminder:PT1S");

        Assert.Contains("c2:reminder:PT1S", _sender.KeysFor(credential.CertificateId));
        Assert.Single(_sender.KeysFor(credential.CertificateId), "c1:reminder:PT1S");
    }
}
