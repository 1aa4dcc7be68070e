using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Reconciliation;

/// <summary>The daily reconciliation over the local Cosmos server, with the window process Moq'd.</summary>
public sealed class RenewalReconciliationTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);
    private readonly Mock<IRenewalWindows> _windows = new();

    private async Task<(CredentialStoreScope Store, RenewalReconciliation Reconciliation)> ArrangeAsync(DateTimeOffset now)
    {
        var store = await CredentialStoreScope.CreateAsync(cosmos);
        return (store, new RenewalReconciliation(new CosmosRenewalWindowRecords(store.Database), new ManualClock(now), NullLogger<RenewalReconciliation>.Instance));
    }

    [Fact]
    public async Task Starts_the_missing_windows_of_credentials_with_steps_left_and_no_others()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-100));
        var active = await store.AddAsync(A.Credential(A.Terms(), seed: 1));
        var inGrace = await store.AddAsync(A.Credential(A.Terms(), seed: 2).EnterGrace(Expiry).Credential);
        await store.AddAsync(A.Credential(A.Terms(), seed: 3).Revoke(A.Jan1, "pm", "fraud").Credential);
        await store.AddAsync(A.Credential(A.Terms(), seed: 4).EndTracking(A.Jan1, "hr", "left").Credential);
        await store.AddAsync(A.Credential(A.Terms() with { Validity = null }, seed: 5));

        var report = await reconciliation.RunAsync(_windows.Object, CancellationToken.None);

        Assert.Equal(new ReconciliationReport(2, 2, 0), report);
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

        var report = await reconciliation.RunAsync(_windows.Object, CancellationToken.None);

        Assert.Equal(count, report.Started);
    }

    [Fact]
    public async Task Leaves_running_windows_alone_unless_their_step_is_long_overdue()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(-50));
        var onTime = await store.AddAsync(A.Credential(A.Terms(), A.Jan1.AddDays(60), seed: 1));
        var overdue = await store.AddAsync(A.Credential(A.Terms(), seed: 2));
        _windows.Setup(w => w.IsRunningAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var report = await reconciliation.RunAsync(_windows.Object, CancellationToken.None);

        Assert.Equal(new ReconciliationReport(2, 0, 1), report);
        _windows.Verify(w => w.RaiseAsync(overdue.CertificateId, It.Is<RenewalWindowEvent>(e => e.Kind == RenewalWindowEventKind.RecordChanged), It.IsAny<CancellationToken>()), Times.Once);
        _windows.Verify(w => w.RaiseAsync(onTime.CertificateId, It.IsAny<RenewalWindowEvent>(), It.IsAny<CancellationToken>()), Times.Never);
        _windows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_lapsed_credential_whose_follow_up_was_sent_needs_no_window()
    {
        var (store, reconciliation) = await ArrangeAsync(Expiry.AddDays(90));
        var lapsed = A.Credential(A.Terms(), seed: 1).Lapse(Expiry.AddDays(30)).Credential;
        foreach (var key in new[] { "c1:lapse", "c1:lapse-follow-up" })
            lapsed = lapsed.ClaimOutboxEntry(OutboxEntry.Pending(key, OutboxChannel.Email, "Lapsed", "{}"), "s", Expiry.AddDays(30), TimeSpan.FromMinutes(5))!.RecordOutboxSent(key, "m", Expiry.AddDays(30)).Credential;
        await store.AddAsync(lapsed);

        Assert.Equal(new ReconciliationReport(1, 0, 0), await reconciliation.RunAsync(_windows.Object, CancellationToken.None));
    }
}
