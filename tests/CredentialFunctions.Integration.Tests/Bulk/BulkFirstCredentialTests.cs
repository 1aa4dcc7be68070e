using System.Net;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Reports;
using CredentialFunctions.Domain.Retention;
using System.Net.Http.Json;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using CredentialFunctions.Testing.Stores;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Bulk;

/// <summary>
/// Bulk issuance's first credentials (<see cref="BulkFirstIssuance"/>) through the local host and the
/// local Cosmos server: one credential write per learner and a few per batch, what each owes sent
/// from the batch's ledger (and by the daily sweep when the batch could not), and the other paths
/// (an LMS pass, a dry run, a purge) meeting a credential that has no holding document.
/// </summary>
public sealed class BulkFirstCredentialTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly StoreCalls _calls = new();
    private readonly SwitchedWindows _windows = new();
    private readonly BlindPurgeLog.Switch _blind = new();

    private Task<ApiHost> StartAsync() => ApiHost.StartAsync(cosmos.Endpoint, overrides: services =>
    {
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IRenewalWindows>(_windows);
        services.AddSingleton<IHoldingStore>(sp => _calls.Timed<IHoldingStore>(ActivatorUtilities.CreateInstance<CosmosHoldingStore>(sp)));
        services.AddSingleton<IReceiptStore>(sp => _calls.Timed<IReceiptStore>(ActivatorUtilities.CreateInstance<CosmosReceiptStore>(sp)));
        services.AddSingleton<IComplianceTallies>(sp => _calls.Timed<IComplianceTallies>(ActivatorUtilities.CreateInstance<CosmosComplianceTallies>(sp)));
        services.AddSingleton<IIssuanceLedgerStore>(sp => _calls.Timed<IIssuanceLedgerStore>(ActivatorUtilities.CreateInstance<CosmosIssuanceLedgerStore>(sp)));
        services.AddSingleton<IPurgeLog>(sp => _calls.Timed<IPurgeLog>(new BlindPurgeLog(ActivatorUtilities.CreateInstance<CosmosPurgeLog>(sp), _blind)));
        services.AddSingleton<ICredentialStore>(sp => new CountedCredentialStore(
            new EachCreateCounted(_calls.Timed<ICredentialStore>(ActivatorUtilities.CreateInstance<CosmosCredentialStore>(sp))), sp.GetRequiredService<ComplianceProjection>()));
    });

    [Fact]
    public async Task A_cohort_of_first_credentials_writes_one_credential_per_learner_no_receipt_or_holding_and_sends_each_event_once()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        _calls.Clear();

        // Two batches: a full one and one of ten.
        const int learners = CohortIntake.BatchSize + 10;
        var status = await RunToEndAsync(host, programId, Cohort.Learners("one", learners));

        Assert.Equal(learners, status.GetProperty("issued").GetInt32());
        var issued = await Cohort.CertificatesOfAsync(host, programId);
        Assert.Equal(learners, issued.Count);
        Assert.Equal(learners, _calls.Of("ICredentialStore.CreateIfAbsentAsync"));
        Assert.Equal(0, _calls.Of("ICredentialStore.GetAsync") + _calls.Of("ICredentialStore.ReplaceAsync"));
        Assert.Equal(0, _calls.OfPort("IReceiptStore"));
        // The program's key is asked for once a batch (made at its first use); no holding is read or written.
        Assert.Equal(2, _calls.OfPort("IHoldingStore"));
        // Per batch: its ledger opened and closed, the purge log asked before and after the creates.
        Assert.Equal((2, 2, 4), (_calls.Of("IIssuanceLedgerStore.OpenAsync"), _calls.Of("IIssuanceLedgerStore.CloseAsync"), _calls.Of("IPurgeLog.PurgedAmongAsync")));
        // One cohort, one completion day: each batch writes each of the day's 16 tally shards it touches once (a read and a write, or a
        // read and a create), and again where the two batches running at once both changed one; one write each would be 2,020.
        Assert.InRange(_calls.OfPort("IComplianceTallies"), 2 * 16, 250);
        // Written once a batch, the tallies count every credential.
        var report = (await (await host.SendAsync(HttpMethod.Get, "/api/reports/compliance?groupBy=program", role: Role.Auditor)).Content.ReadFromJsonAsync<ComplianceReport>(CredentialJson.Options))!;
        Assert.Equal(learners, report.Total.Counts["active"]);

        var events = await EventsAsync(host);
        Assert.Equal(issued.Order(), events.Where(e => e.Type == EventTypes.CredentialIssued).Select(e => e.Subject).Order());
        Assert.Equal(issued.Select(id => $"{id}:1").Order(), events.Select(e => e.Id).Order());
        Assert.All(issued, id => Assert.Equal(["start"], _windows.Recorded.CallsFor(id)));
        Assert.Equal(0, await OpenLedgersAsync(host));
        var record = (await host.Services.GetRequiredService<ICredentialStore>().GetAsync(issued[0], CancellationToken.None))!.Value;
        var run = status.GetProperty("runId").GetString();
        Assert.All(record.Outbox.Entries, e => Assert.Contains((e.State, e.ClaimedBy), new (OutboxState, string?)[] { (OutboxState.Sent, $"ledger:{run}:1"), (OutboxState.Sent, $"ledger:{run}:2") }));
    }

    [Fact]
    public async Task A_batch_whose_windows_could_not_start_leaves_its_ledger_open_and_the_daily_sweep_finishes_it_sending_nothing_twice()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        _windows.Down = true;

        var status = await RunToEndAsync(host, programId, Cohort.Learners("down", 30));

        // The credentials are issued and say so; what they owe waits in the ledger.
        Assert.Equal(30, status.GetProperty("issued").GetInt32());
        var issued = await Cohort.CertificatesOfAsync(host, programId);
        Assert.Equal(1, await OpenLedgersAsync(host));
        Assert.All(issued, id => Assert.Empty(_windows.Recorded.CallsFor(id)));
        _windows.Down = false;
        using var invocation = host.Services.CreateScope();
        var sweep = invocation.ServiceProvider.GetRequiredService<IssuanceReconciliation>();

        // A ledger opened moments ago belongs to a batch still running.
        Assert.Equal(new IssuanceReconciliationReport(0, 0, 0), await sweep.RunAsync(CancellationToken.None));
        _clock.Advance(IssuanceReconciliation.Abandoned + TimeSpan.FromMinutes(1));
        Assert.Equal(new IssuanceReconciliationReport(1, 1, 0), await sweep.RunAsync(CancellationToken.None));
        Assert.Equal(new IssuanceReconciliationReport(0, 0, 0), await sweep.RunAsync(CancellationToken.None));

        Assert.Equal(0, await OpenLedgersAsync(host));
        Assert.All(issued, id => Assert.Equal(["start"], _windows.Recorded.CallsFor(id)));
        var events = await EventsAsync(host);
        Assert.Equal(issued.Select(id => $"{id}:1").Order(), events.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task An_LMS_pass_a_retake_and_a_dry_run_import_each_find_the_learner_holding_a_credential_issued_in_bulk()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        await RunToEndAsync(host, programId, Cohort.Learners("held", 2));
        var issued = (await Cohort.CertificatesOfAsync(host, programId)).Order().ToList();

        var completion = Bodies.Completion(programId).With("learner", new Dictionary<string, object?>
        {
            ["externalId"] = "held-000001", ["fullLegalName"] = "Learner held 1", ["email"] = "held.1@example.org",
        });
        using var passed = await host.Client.SendAsync(host.SignedLms(JsonSerializer.Serialize(completion, CredentialJson.Options)));
        var pass = await ApiHost.ReadJsonAsync(passed);
        var day = _clock.GetUtcNow().AddDays(-3).ToString("yyyy-MM-dd");
        var dryRun = host.Request(HttpMethod.Post, $"/api/programs/{programId}/imports?fileName=legacy.csv&dryRun=true", role: Role.ProgramManager);
        dryRun.Content = new StringContent("learnerExternalId,fullLegalName,email,completedAt,score,issuedAt,expiresAt\n"
            + $"held-000002,Learner held 2,held.2@example.org,{day},91,{day},{_clock.GetUtcNow().AddYears(1):yyyy-MM-dd}\n", System.Text.Encoding.UTF8, "text/csv");
        var preview = await ApiHost.ReadJsonAsync(await host.Client.SendAsync(dryRun));

        Assert.Equal("alreadyHeld", pass.GetProperty("action").GetString());
        Assert.Contains(pass.GetProperty("certificateId").GetString(), issued);
        var row = preview.GetProperty("results").EnumerateArray().Single();
        Assert.Equal("alreadyHeld", row.GetProperty("outcome").GetString());
        Assert.Contains(row.GetProperty("certificateId").GetString(), issued);
        Assert.Equal(2, (await Cohort.CertificatesOfAsync(host, programId)).Count);
    }

    [Fact]
    public async Task A_learner_whose_first_credential_was_purged_is_issued_a_new_one_under_another_id_and_the_purged_id_stays_gone()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        await RunToEndAsync(host, programId, Cohort.Learners("gone", 1));
        var first = (await Cohort.CertificatesOfAsync(host, programId)).Single();
        await PurgeAsync(host, programId, first);

        var again = await RunToEndAsync(host, programId, Cohort.Learners("gone", 1));

        Assert.Equal(1, again.GetProperty("issued").GetInt32());
        var second = (await Cohort.CertificatesOfAsync(host, programId)).Single();
        Assert.NotEqual(first, second);
        Assert.Null(await host.Services.GetRequiredService<ICredentialStore>().GetAsync(first, CancellationToken.None));
    }

    [Fact]
    public async Task A_purge_that_lands_between_a_batchs_check_and_its_create_is_caught_after_it_and_the_record_made_under_the_purged_id_removed()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        await RunToEndAsync(host, programId, Cohort.Learners("late", 1));
        var first = (await Cohort.CertificatesOfAsync(host, programId)).Single();
        await PurgeAsync(host, programId, first);
        // The batch's check before its creates finds nothing, as if the purge came just after it.
        _blind.Once = true;

        var again = await RunToEndAsync(host, programId, Cohort.Learners("late", 1));

        Assert.Equal(1, again.GetProperty("issued").GetInt32());
        var second = (await Cohort.CertificatesOfAsync(host, programId)).Single();
        Assert.NotEqual(first, second);
        Assert.False(_blind.Once);
        // Its event and window belong to the credential that stays, not to the one removed again.
        Assert.Single(await EventsAsync(host), e => e.Subject == first);
        Assert.Equal(["start"], _windows.Recorded.CallsFor(first));
        Assert.Equal(["start"], _windows.Recorded.CallsFor(second));
    }

    /// <summary>As the retention purge leaves a record: its log entry first, then the record deleted (its holding too, had it one).</summary>
    private async Task PurgeAsync(ApiHost host, string programId, string certificateId)
    {
        var store = host.Services.GetRequiredService<ICredentialStore>();
        var record = (await store.GetAsync(certificateId, CancellationToken.None))!;
        var now = _clock.GetUtcNow();
        Assert.True(await host.Services.GetRequiredService<IPurgeLog>().TryAppendAsync(new PurgeLogEntry(
            certificateId, programId, 1, PurgeMode.Delete, record.Value.IssuedAt, record.Value.ExpiresAt, now, now, now, PurgeLogEntry.Sweep), CancellationToken.None));
        Assert.True(await store.DeleteAsync(certificateId, record.ETag, CancellationToken.None));
    }

    private static async Task<JsonElement> RunToEndAsync(ApiHost host, string programId, List<Dictionary<string, object?>> learners)
    {
        var request = host.Request(HttpMethod.Post, $"/api/programs/{programId}/issuances", role: Role.ProgramManager);
        request.Content = Cohort.Json(learners);
        using var response = await host.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await host.ReadUntilAsync(response.Headers.Location!.ToString(), s => s.GetProperty("finished").GetBoolean());
    }

    private static async Task<List<(string Id, string Type, string Subject)>> EventsAsync(ApiHost host)
    {
        var log = (JsonLinesEventLog)host.Services.GetServices<IOutboxTransport>().Single(t => t.Channel == OutboxChannel.Events);
        return [.. (await log.ReadAsync(CancellationToken.None)).Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("type").GetString()!,
            e.GetProperty("subject").GetString()!["credentials/".Length..]))];
    }

    private static async Task<int> OpenLedgersAsync(ApiHost host)
    {
        var container = host.Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.CohortRuns);
        using var iterator = container.GetItemQueryIterator<int>(new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'ledger'"));
        var count = 0;
        while (iterator.HasMoreResults) count += (await iterator.ReadNextAsync()).Sum();
        return count;
    }

    /// <summary>The purge log, but for one batch query that finds nothing, on cue.</summary>
    private sealed class BlindPurgeLog(IPurgeLog inner, BlindPurgeLog.Switch blind) : IPurgeLog
    {
        public sealed class Switch
        {
            public volatile bool Once;
        }

        public Task<IReadOnlySet<string>> PurgedAmongAsync(IReadOnlyCollection<string> certificateIds, CancellationToken cancellationToken)
        {
            if (!blind.Once) return inner.PurgedAmongAsync(certificateIds, cancellationToken);
            blind.Once = false;
            return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
        }

        public Task<bool> TryAppendAsync(PurgeLogEntry entry, CancellationToken cancellationToken) => inner.TryAppendAsync(entry, cancellationToken);

        public Task<PurgeLogEntry?> GetAsync(string certificateId, CancellationToken cancellationToken) => inner.GetAsync(certificateId, cancellationToken);

        public Task<Page<PurgeLogEntry>> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken) => inner.ListAsync(continuationToken, pageSize, cancellationToken);
    }

    private sealed class SwitchedWindows : IRenewalWindows
    {
        public RecordingRenewalWindows Recorded { get; } = new();

        public volatile bool Down;

        public Task StartAsync(string certificateId, CancellationToken cancellationToken)
            => Down ? throw new HttpRequestException("The Durable task hub is unreachable.") : Recorded.StartAsync(certificateId, cancellationToken);

        public Task RaiseAsync(string certificateId, RenewalWindowEvent windowEvent, CancellationToken cancellationToken) => Recorded.RaiseAsync(certificateId, windowEvent, cancellationToken);

        public Task<bool> IsRunningAsync(string certificateId, CancellationToken cancellationToken) => Recorded.IsRunningAsync(certificateId, cancellationToken);
    }
}
