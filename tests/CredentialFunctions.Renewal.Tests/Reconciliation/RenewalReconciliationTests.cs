using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Reconciliation;

/// <summary>The daily reconciliation over the local Cosmos server, with the window process Moq'd.</summary>
public sealed class RenewalReconciliationTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);
    private readonly Mock<IRenewalWindows> _windows = new();
    private readonly Mock<ILogger<RenewalReconciliation>> _log = new();

    private async Task<(CredentialStoreScope Store, RenewalReconciliation Reconciliation)> ArrangeAsync(DateTimeOffset now)
    {
        var store = await CredentialStoreScope.CreateAsync(cosmos);
        return (store, new RenewalReconciliation(new CosmosRenewalWindowRecords(store.Database), _windows.Object, new FakeTimeProvider(now), _log.Object));
    }

    private static Credential Sent(Credential credential, DateTimeOffset at, params string[] keys)
    {
        foreach (var key in keys)
            credential = credential.ClaimOutboxEntry(OutboxEntry.Pending(key, OutboxChannel.Email, "Lapsed", "{}"), "s", at, TimeSpan.FromMinutes(5))!.RecordOutboxSent(key, "m", at).Credential;
        return credential;
    }

    /// <summary>Edits the stored document behind the application's back, as a bad migration or a hand edit would.</summary>
    private static async Task DamageAsync(CredentialStoreScope store, string certificateId, Action<JsonObject> damage)
    {
        var container = store.Database.Container(CosmosLayout.Credentials);
        using var read = await container.ReadItemStreamAsync(certificateId, new PartitionKey(certificateId));
        var document = (await JsonNode.ParseAsync(read.EnsureSuccessStatusCode().Content))!.AsObject();
        damage(document);
        using var written = await container.UpsertItemStreamAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(document.ToJsonString())), new PartitionKey(certificateId));
        written.EnsureSuccessStatusCode();
    }

    private void VerifyErrorLoggedFor(string certificateId) => _log.Verify(l => l.Log(
        LogLevel.Error, It.IsAny<EventId>(), It.Is<It.IsAnyType>((state, _) => $"{state}".Contains(certificateId, StringComparison.Ordinal)),
        It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once);

    [Fact]
    public async Task Starts_the_missing_windows_of_credentials_with_steps_left_and_no_others()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-100));
        var active = await store.AddAsync(A.Credential(A.Terms(), seed: 1));
        var inGrace = await store.AddAsync(A.Credential(A.Terms(), seed: 2).EnterGrace(Expiry).Credential);
        await store.AddAsync(A.Credential(A.Terms(), seed: 3).Revoke(A.Jan1, "pm", "fraud").Credential);
        await store.AddAsync(A.Credential(A.Terms(), seed: 4).EndTracking(A.Jan1, "hr", "left").Credential);
        await store.AddAsync(A.Credential(A.Terms() with { Validity = null }, seed: 5));

        var report = await reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(new ReconciliationReport(2, 2, 0, 0), report);
        _windows.Verify(w => w.StartAsync(active.CertificateId, It.IsAny<CancellationToken>()), Times.Once);
        _windows.Verify(w => w.StartAsync(inGrace.CertificateId, It.IsAny<CancellationToken>()), Times.Once);
        _windows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Pages_through_every_credential_with_continuation_tokens()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-100));
        var count = RenewalReconciliation.PageSize + 5;
        for (var i = 0; i < count; i++) await store.AddAsync(A.Credential(A.Terms(), seed: (byte)(10 + i)));

        var report = await reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(count, report.Started);
    }

    [Fact]
    public async Task Leaves_running_windows_alone_unless_their_step_is_long_overdue()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-50));
        var onTime = await store.AddAsync(A.Credential(A.Terms(), A.Jan1.AddDays(60), seed: 1));
        var overdue = await store.AddAsync(A.Credential(A.Terms(), seed: 2));
        _windows.Setup(w => w.IsRunningAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var report = await reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(new ReconciliationReport(2, 0, 1, 0), report);
        _windows.Verify(w => w.RaiseAsync(overdue.CertificateId, It.Is<RenewalWindowEvent>(e => e.Kind == RenewalWindowEventKind.RecordChanged), It.IsAny<CancellationToken>()), Times.Once);
        _windows.Verify(w => w.RaiseAsync(onTime.CertificateId, It.IsAny<RenewalWindowEvent>(), It.IsAny<CancellationToken>()), Times.Never);
        _windows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Reads_only_credentials_whose_window_has_a_step_left_and_ended_at_most_the_repair_period_ago()
    {
        var now = Expiry.AddDays(100);
        var (store, reconciliation) = await ArrangeAsync(now);
        var inGrace = await store.AddAsync(A.Credential(A.Terms(), seed: 1).EnterGrace(Expiry).Credential);
        // Lapsed at grace end (expiry + 30 days), follow-up due 30 days later and not yet sent: still open.
        var followUpPending = await store.AddAsync(A.Credential(A.Terms(), seed: 2).Lapse(Expiry.AddDays(30)).Credential);
        await store.AddAsync(Sent(A.Credential(A.Terms(), seed: 3).Lapse(Expiry.AddDays(30)).Credential, Expiry.AddDays(60), "c1:lapse", "c1:lapse-follow-up"));
        // Issued a year earlier: its follow-up fell due more than the repair period ago.
        var longLapsed = A.Credential(A.Terms(), A.Jan1.AddYears(-1), seed: 4);
        await store.AddAsync(longLapsed.Lapse(longLapsed.Schedule!.GraceEndsAt).Credential);
        await store.AddAsync(A.Credential(A.Terms(), seed: 5).Revoke(A.Jan1, "pm", "fraud").Credential);
        var superseded = A.Credential(A.Terms(), seed: 6);
        await store.AddAsync(superseded.Supersede(A.Credential(A.Terms(), seed: 7).CertificateId, A.Jan1, "pm", "merged").Credential);
        await store.AddAsync(A.Credential(A.Terms(), seed: 8).EndTracking(A.Jan1, "hr", "left").Credential);
        await store.AddAsync(A.Credential(A.Terms() with { Validity = null }, seed: 9));

        var page = await new CosmosRenewalWindowRecords(store.Database).WithOpenWindowsAsync(now - RenewalReconciliation.RepairsFor, null, 100, CancellationToken.None);
        var report = await reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(new[] { followUpPending.CertificateId, inGrace.CertificateId }.Order(), page.Items.Select(c => c.CertificateId).Order());
        Assert.Equal(new ReconciliationReport(2, 2, 0, 0), report);
    }

    [Fact]
    public async Task A_document_that_does_not_read_is_logged_by_id_and_counted_as_failed_and_the_rest_of_its_page_is_reconciled()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-100));
        var before = await store.AddAsync(A.Credential(A.Terms(), seed: 1));
        var corrupt = await store.AddAsync(A.Credential(A.Terms(), seed: 2));
        var after = await store.AddAsync(A.Credential(A.Terms(), seed: 3));
        await DamageAsync(store, corrupt.CertificateId, document => document["state"] = "dormant");

        var report = await reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(new ReconciliationReport(3, 2, 0, 1), report);
        _windows.Verify(w => w.StartAsync(before.CertificateId, It.IsAny<CancellationToken>()), Times.Once);
        _windows.Verify(w => w.StartAsync(after.CertificateId, It.IsAny<CancellationToken>()), Times.Once);
        VerifyErrorLoggedFor(corrupt.CertificateId);
    }

    [Fact]
    public async Task A_schedule_that_throws_is_logged_and_counted_as_failed_and_the_sweep_goes_on()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-100));
        var first = await store.AddAsync(A.Credential(A.Terms(), seed: 1));
        var broken = await store.AddAsync(A.Credential(A.Terms(), seed: 2));
        var last = await store.AddAsync(A.Credential(A.Terms(), seed: 3));
        // Reads, but the grace end after an expiry days before the calendar's end cannot be computed.
        await DamageAsync(store, broken.CertificateId, document => document["expiresAt"] = "9999-12-25T00:00:00+00:00");

        var report = await reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(new ReconciliationReport(3, 2, 0, 1), report);
        _windows.Verify(w => w.StartAsync(first.CertificateId, It.IsAny<CancellationToken>()), Times.Once);
        _windows.Verify(w => w.StartAsync(last.CertificateId, It.IsAny<CancellationToken>()), Times.Once);
        VerifyErrorLoggedFor(broken.CertificateId);
    }

    [Fact]
    public async Task A_durable_client_error_on_one_credential_is_logged_and_counted_as_failed_and_the_others_still_start()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-100));
        var credentials = new[] { await store.AddAsync(A.Credential(A.Terms(), seed: 1)), await store.AddAsync(A.Credential(A.Terms(), seed: 2)), await store.AddAsync(A.Credential(A.Terms(), seed: 3)) };
        var unlucky = credentials[1].CertificateId;
        _windows.Setup(w => w.StartAsync(unlucky, It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("task hub unavailable"));

        var report = await reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(new ReconciliationReport(3, 2, 0, 1), report);
        foreach (var other in credentials.Where(c => c.CertificateId != unlucky))
            _windows.Verify(w => w.StartAsync(other.CertificateId, It.IsAny<CancellationToken>()), Times.Once);
        VerifyErrorLoggedFor(unlucky);
    }
}
