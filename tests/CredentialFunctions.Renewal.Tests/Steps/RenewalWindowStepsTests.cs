using CredentialFunctions.Adapters;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Steps;

/// <summary>The renewal window's activities against the real local Cosmos server: at most one send per delivery key.</summary>
public sealed class RenewalWindowStepsTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);
    private static readonly DateTimeOffset FirstReminder = Expiry.AddDays(-90);

    private readonly Mock<INotificationSender> _sender = new();
    private readonly FakeTimeProvider _clock = new(FirstReminder.AddMinutes(1));

    private async Task<(CredentialStoreScope Scope, RenewalWindowSteps Steps, Credential Credential)> ArrangeAsync(byte seed)
    {
        var scope = await CredentialStoreScope.CreateAsync(cosmos);
        var credential = await scope.AddAsync(A.Credential(A.Terms(), seed: seed));
        var steps = new RenewalWindowSteps(scope.Store, scope.Updater, _sender.Object, new RandomIdSource(), _clock, NullLogger<RenewalWindowSteps>.Instance);
        return (scope, steps, credential);
    }

    private static RenewalStep FirstReminderStep => new(RenewalStepKind.Reminder, 1, FirstReminder, IsoDuration.FromDays(90));

    [Fact]
    public async Task A_reminder_taken_twice_is_sent_once_and_audited_once()
    {
        var (scope, steps, credential) = await ArrangeAsync(1);
        _sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).ReturnsAsync("acs-1");

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        Assert.False(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));

        _sender.Verify(s => s.SendAsync(It.Is<Notification>(n => n.DeliveryKey == "c1:reminder:P90D" && n.Kind == NotificationKind.RenewalReminder && n.DaysLeft == 90),
            It.IsAny<CancellationToken>()), Times.Once);
        var stored = await scope.ReadAsync(credential.CertificateId);
        Assert.Equal((DeliveryResult.Sent, "acs-1", 1), (stored.DeliveryFor("c1:reminder:P90D")!.Result, stored.DeliveryFor("c1:reminder:P90D")!.ProviderMessageId, stored.DeliveryFor("c1:reminder:P90D")!.Attempts));
        Assert.Single(stored.AuditTrail, e => e.Action == AuditAction.ReminderSent);
        Assert.True(stored.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public async Task Two_attempts_racing_on_one_reminder_send_it_once()
    {
        var (_, steps, credential) = await ArrangeAsync(2);
        var sends = 0;
        _sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()))
            .Returns(async () => { Interlocked.Increment(ref sends); await Task.Delay(300); return "acs-1"; });

        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try { return await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None) ? "sent" : "skipped"; }
            catch (DeliveryInProgressException) { return "in progress"; }
        })));

        Assert.Equal(1, sends);
        // The loser finds the winner's live claim (or, scheduled late, the finished send).
        Assert.Single(attempts, a => a == "sent");
    }

    [Fact]
    public async Task A_transient_failure_is_recorded_and_rethrown_so_the_retry_sends_it()
    {
        var (scope, steps, credential) = await ArrangeAsync(3);
        _sender.SetupSequence(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("429 Too Many Requests"))
            .ReturnsAsync("acs-2");

        await Assert.ThrowsAsync<HttpRequestException>(() => steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        var failed = (await scope.ReadAsync(credential.CertificateId)).DeliveryFor("c1:reminder:P90D")!;
        Assert.Equal(DeliveryResult.Failed, failed.Result);
        Assert.Contains("429", failed.Failure);

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        var sent = (await scope.ReadAsync(credential.CertificateId)).DeliveryFor("c1:reminder:P90D")!;
        Assert.Equal((DeliveryResult.Sent, 2, null), (sent.Result, sent.Attempts, sent.Failure));
    }

    [Fact]
    public async Task A_reminder_overtaken_by_a_renewal_is_not_sent()
    {
        var (scope, steps, credential) = await ArrangeAsync(4);
        await scope.Updater.UpdateAsync(credential.CertificateId, c => c.Renew(RenewalPathway.RetakeExam, FirstReminder, "lms"), CancellationToken.None);

        Assert.False(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        _sender.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Entering_grace_twice_changes_the_record_once()
    {
        var (scope, steps, credential) = await ArrangeAsync(5);
        _clock.SetUtcNow(Expiry.AddSeconds(5));
        var step = new RenewalStep(RenewalStepKind.EnterGrace, 1, Expiry);

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, step, CancellationToken.None));
        Assert.False(await steps.TakeStepAsync(credential.CertificateId, step, CancellationToken.None));
        var stored = await scope.ReadAsync(credential.CertificateId);
        Assert.Equal(CredentialState.InGrace, stored.State);
        Assert.Single(stored.AuditTrail, e => e.Action == AuditAction.EnteredGrace);
    }

    [Fact]
    public async Task A_step_before_its_instant_is_not_taken()
    {
        var (scope, steps, credential) = await ArrangeAsync(6);
        Assert.False(await steps.TakeStepAsync(credential.CertificateId, new RenewalStep(RenewalStepKind.EnterGrace, 1, Expiry), CancellationToken.None));
        Assert.Equal(CredentialState.Active, (await scope.ReadAsync(credential.CertificateId)).State);
    }

    [Fact]
    public async Task The_plan_names_the_records_cycle_and_next_step_and_ends_for_a_missing_record()
    {
        var (_, steps, credential) = await ArrangeAsync(7);
        Assert.Equal(new RenewalPlan(1, new RenewalStep(RenewalStepKind.OpeningNotice, 1, A.Jan1, Occasion: "issued:1")),
            await steps.PlanAsync(credential.CertificateId, A.Jan1, CancellationToken.None));
        Assert.Equal(new RenewalPlan(1, FirstReminderStep), await steps.PlanAsync(credential.CertificateId, FirstReminder, CancellationToken.None));
        Assert.Equal(new RenewalPlan(0, null), await steps.PlanAsync("NOPE", A.Jan1, CancellationToken.None));
    }
}
