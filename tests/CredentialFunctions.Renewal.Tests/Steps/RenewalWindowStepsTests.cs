using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Email;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using CredentialFunctions.Renewal.Tests.Support;
using CredentialFunctions.Testing.Cosmos;
using CredentialFunctions.Testing.Email;
using Microsoft.Azure.Cosmos;
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

    private async Task<(CredentialStoreScope Scope, RenewalWindowSteps Steps, Credential Credential)> ArrangeAsync(byte seed, INotificationSender? sender = null)
    {
        var scope = await CredentialStoreScope.CreateAsync(cosmos);
        var credential = await scope.AddAsync(A.Credential(A.Terms(), seed: seed));
        return (scope, StepsOver(scope, sender ?? _sender.Object), credential);
    }

    private RenewalWindowSteps StepsOver(CredentialStoreScope scope, INotificationSender sender)
    {
        var events = new JsonLinesEventLog(Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".events.jsonl"), new Uri("http://localhost:7071"));
        var outbox = new OutboxDispatcher<Credential>(scope.Updater, [new EmailOutbox(sender), events], new RandomIdSource(), _clock, NullLogger<OutboxDispatcher<Credential>>.Instance);
        return new RenewalWindowSteps(scope.Store, scope.Updater, outbox, new EventPublisher<Credential>(outbox, NullLogger<EventPublisher<Credential>>.Instance), _clock);
    }

    private const string FirstReminderKey = "c1:reminder:P90D";

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
        var entry = stored.Outbox.Find(FirstReminderKey)!;
        Assert.Equal((OutboxState.Sent, "acs-1", 1, OutboxChannel.Email, "RenewalReminder"), (entry.State, entry.ProviderMessageId, entry.Attempts, entry.Channel, entry.Type));
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
            catch (OutboxEntryInProgressException) { return "in progress"; }
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
        var failed = (await scope.ReadAsync(credential.CertificateId)).Outbox.Find(FirstReminderKey)!;
        Assert.Equal(OutboxState.Failed, failed.State);
        Assert.Contains("429", failed.Failure);

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        var sent = (await scope.ReadAsync(credential.CertificateId)).Outbox.Find(FirstReminderKey)!;
        Assert.Equal((OutboxState.Sent, 2, null), (sent.State, sent.Attempts, sent.Failure));
    }

    [Fact]
    public async Task A_reminder_refused_for_good_is_recorded_as_failed_permanently_and_the_window_plans_the_next_reminder()
    {
        var (scope, steps, credential) = await ArrangeAsync(8);
        _sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EmailDeliveryException("Azure Communication Services refused the email (400 InvalidRecipient: The recipient address is not valid.).", isTransient: false));

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));

        var failed = (await scope.ReadAsync(credential.CertificateId)).Outbox.Find(FirstReminderKey)!;
        Assert.Equal((OutboxState.FailedPermanently, 1, null), (failed.State, failed.Attempts, failed.Payload));
        Assert.Contains("400 InvalidRecipient", failed.Failure);
        Assert.Equal(new RenewalPlan(1, new RenewalStep(RenewalStepKind.Reminder, 1, Expiry.AddDays(-60), IsoDuration.FromDays(60))),
            await steps.PlanAsync(credential.CertificateId, _clock.GetUtcNow(), CancellationToken.None));
        Assert.False(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        _sender.Verify(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Transient_failures_are_retried_up_to_the_bound_then_given_up_on_and_recorded()
    {
        var (scope, steps, credential) = await ArrangeAsync(9);
        _sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new EmailDeliveryException("smtp.example.org refused the message (421 ServiceNotAvailable)", isTransient: true));

        for (var attempt = 1; attempt < OutboxPolicy.MaxAttempts; attempt++)
            await Assert.ThrowsAsync<EmailDeliveryException>(() => steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        Assert.Equal(OutboxState.Failed, (await scope.ReadAsync(credential.CertificateId)).Outbox.Find(FirstReminderKey)!.State);

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));

        var givenUp = (await scope.ReadAsync(credential.CertificateId)).Outbox.Find(FirstReminderKey)!;
        Assert.Equal((OutboxState.FailedPermanently, OutboxPolicy.MaxAttempts), (givenUp.State, givenUp.Attempts));
        Assert.Contains("421", givenUp.Failure);
        Assert.False(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        _sender.Verify(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>()), Times.Exactly(OutboxPolicy.MaxAttempts));
    }

    [Fact]
    public async Task A_stale_claim_whose_ACS_operation_succeeded_is_recorded_sent_without_sending_again()
    {
        var acs = new RecordedAcsEndpoint(request => request.Method == HttpMethod.Get
            ? RecordedAcsEndpoint.Operation(RecordedAcsEndpoint.OperationIdOf(request), "Succeeded")
            : RecordedAcsEndpoint.Accepted(RecordedAcsEndpoint.OperationIdOf(request)));
        var (scope, steps, credential) = await ArrangeAsync(10, EmailOver(acs));
        await ClaimedByASenderThatDiedAsync(scope, credential);

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));

        Assert.Empty(acs.Sends);
        var asked = Assert.Single(acs.Requests);
        var expected = AcsEmailSender.OperationIdFor($"{credential.CertificateId}/{FirstReminderKey}").ToString();
        Assert.EndsWith($"/emails/operations/{expected}", asked.Uri.AbsolutePath);
        var stored = await scope.ReadAsync(credential.CertificateId);
        var entry = stored.Outbox.Find(FirstReminderKey)!;
        Assert.Equal((OutboxState.Sent, expected, 2), (entry.State, entry.ProviderMessageId, entry.Attempts));
        Assert.Single(stored.AuditTrail, e => e.Action == AuditAction.ReminderSent);
    }

    [Fact]
    public async Task A_stale_claim_whose_ACS_operation_is_unknown_is_sent_once()
    {
        var acs = new RecordedAcsEndpoint(request => request.Method == HttpMethod.Get
            ? RecordedAcsEndpoint.NoSuchOperation()
            : RecordedAcsEndpoint.Accepted(RecordedAcsEndpoint.OperationIdOf(request)));
        var (scope, steps, credential) = await ArrangeAsync(11, EmailOver(acs));
        await ClaimedByASenderThatDiedAsync(scope, credential);

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));
        Assert.False(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));

        Assert.Equal([HttpMethod.Get, HttpMethod.Post], acs.Requests.Select(r => r.Method));
        var send = Assert.Single(acs.Sends);
        Assert.Equal("ada@example.org", send.Body!.Value.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal(OutboxState.Sent, (await scope.ReadAsync(credential.CertificateId)).Outbox.Find(FirstReminderKey)!.State);
    }

    [Fact]
    public async Task A_first_attempt_does_not_ask_the_provider_before_sending()
    {
        var acs = new RecordedAcsEndpoint(request => RecordedAcsEndpoint.Accepted(RecordedAcsEndpoint.OperationIdOf(request)));
        var (_, steps, credential) = await ArrangeAsync(12, EmailOver(acs));

        Assert.True(await steps.TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));

        Assert.Equal([HttpMethod.Post], acs.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task A_record_written_before_the_outbox_reads_its_deliveries_and_is_written_back_with_an_outbox()
    {
        var scope = await CredentialStoreScope.CreateAsync(cosmos);
        var credential = A.Credential(A.Terms(), seed: 13);
        var container = scope.Database.Container(CosmosLayout.Credentials);
        var document = JsonSerializer.SerializeToNode(credential, CredentialJson.Options)!.AsObject();
        document.Remove("outbox");
        document["id"] = credential.CertificateId;
        document["deliveries"] = JsonNode.Parse($$"""
            [{"key":"c1:issued:1","kind":"Issued","claimedBy":"send-a","attempts":1,"attemptedAt":"{{A.Jan1:O}}","result":"sent","providerMessageId":"m-1","failure":null},
             {"key":"{{FirstReminderKey}}","kind":"RenewalReminder","claimedBy":"send-b","attempts":1,"attemptedAt":"{{FirstReminder:O}}","result":"failed","providerMessageId":null,"failure":"429"}]
            """);
        using (var created = await container.CreateItemStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString())), new PartitionKey(credential.CertificateId)))
            created.EnsureSuccessStatusCode();

        var read = await scope.ReadAsync(credential.CertificateId);
        Assert.Equal([("c1:issued:1", OutboxState.Sent, "Issued"), (FirstReminderKey, OutboxState.Failed, "RenewalReminder")],
            read.Outbox.Entries.Select(e => (e.Key, e.State, e.Type)));
        Assert.True(read.VerifyAuditTrail().IsIntact);

        _sender.Setup(s => s.SendAsync(It.IsAny<Notification>(), It.IsAny<CancellationToken>())).ReturnsAsync("acs-2");
        Assert.True(await StepsOver(scope, _sender.Object).TakeStepAsync(credential.CertificateId, FirstReminderStep, CancellationToken.None));

        using var written = await container.ReadItemStreamAsync(credential.CertificateId, new PartitionKey(credential.CertificateId));
        var stored = JsonNode.Parse(written.Content)!.AsObject();
        Assert.False(stored.ContainsKey("deliveries"));
        Assert.Equal(["sent", "sent"], stored["outbox"]!["entries"]!.AsArray().Select(e => e!["state"]!.GetValue<string>()));
    }

    private static INotificationSender EmailOver(RecordedAcsEndpoint acs)
        => new EmailNotificationSender(new NotificationTemplates(new Uri("http://localhost:7071")), acs.Sender());

    /// <summary>A sender claimed the first reminder and died before recording what became of it; its lease has since run out.</summary>
    private async Task ClaimedByASenderThatDiedAsync(CredentialStoreScope scope, Credential credential)
    {
        await scope.Updater.UpdateUnauditedAsync(credential.CertificateId,
            c => c.ClaimOutboxEntry(OutboxEntry.Pending(FirstReminderKey, OutboxChannel.Email, "RenewalReminder", "{}"), "send-died", _clock.GetUtcNow(), OutboxPolicy.Lease),
            CancellationToken.None);
        _clock.Advance(OutboxPolicy.Lease + TimeSpan.FromMinutes(1));
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
        Assert.Equal(new RenewalPlan(1, new RenewalStep(RenewalStepKind.OpeningNotice, 1, A.Jan1, Opening: new CycleOpening(AuditAction.Issued, 1))),
            await steps.PlanAsync(credential.CertificateId, A.Jan1, CancellationToken.None));
        Assert.Equal(new RenewalPlan(1, FirstReminderStep), await steps.PlanAsync(credential.CertificateId, FirstReminder, CancellationToken.None));
        Assert.Equal(new RenewalPlan(0, null), await steps.PlanAsync("NOPE", A.Jan1, CancellationToken.None));
    }
}
