using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;

namespace CredentialFunctions.Domain.Tests;

public class OutboxTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset FirstReminder = A.Jan1.AddYears(1).AddDays(-90);

    private static OutboxEntry Owed(string key, string payload = "{\"v\":1}") => OutboxEntry.Pending(key, OutboxChannel.Email, "RenewalReminder", payload);

    private static Credential Claimed(string key, string claimant = "first", DateTimeOffset? at = null)
        => A.Credential().ClaimOutboxEntry(Owed(key), claimant, at ?? A.Jan1, Lease)!;

    [Fact]
    public void A_claim_adds_the_entry_in_progress_for_its_sender_with_its_payload()
    {
        var entry = Claimed("c1:reminder:P90D").Outbox.Find("c1:reminder:P90D")!;
        Assert.Equal((OutboxState.InProgress, "first", 1, A.Jan1, "{\"v\":1}"), (entry.State, entry.ClaimedBy, entry.Attempts, entry.AttemptedAt, entry.Payload));
    }

    [Fact]
    public void A_sent_entry_cannot_be_claimed_again_and_keeps_no_payload()
    {
        var sent = Claimed("k").RecordOutboxSent("k", "msg-1", A.Jan1).Credential;
        Assert.Equal((OutboxState.Sent, "msg-1", null), (sent.Outbox.Find("k")!.State, sent.Outbox.Find("k")!.ProviderMessageId, sent.Outbox.Find("k")!.Payload));
        Assert.Null(sent.ClaimOutboxEntry(Owed("k"), "another", A.Jan1.AddHours(1), Lease));
    }

    [Fact]
    public void An_email_sent_is_audited_but_an_integration_event_published_is_not()
    {
        var credential = A.Credential()
            .ClaimOutboxEntry(Owed("mail"), "s", A.Jan1, Lease)!
            .ClaimOutboxEntry(OutboxEntry.Pending("event:e1", OutboxChannel.Events, "credentials.credential.issued", "{}"), "s", A.Jan1, Lease)!;
        IOwesMessages<Credential> owner = credential;

        var emailed = ((IOwesMessages<Credential>)owner.OutboxEntrySent("mail", "msg-1", A.Jan1)).OutboxEntrySent("event:e1", "e1", A.Jan1);

        Assert.Equal([OutboxState.Sent, OutboxState.Sent], new[] { "mail", "event:e1" }.Select(k => emailed.Outbox.Find(k)!.State));
        Assert.Equal(credential.AuditTrail.Count + 1, emailed.AuditTrail.Count);
        Assert.Equal("mail", emailed.AuditTrail[^1].Details["deliveryKey"]);
    }

    [Fact]
    public void A_live_claim_blocks_other_senders_until_its_lease_runs_out()
    {
        var claimed = Claimed("k");
        Assert.Null(claimed.ClaimOutboxEntry(Owed("k"), "second", A.Jan1.AddMinutes(1), Lease));
        var takenOver = claimed.ClaimOutboxEntry(Owed("k", "{\"v\":2}"), "second", A.Jan1.AddMinutes(6), Lease)!.Outbox.Find("k")!;
        Assert.Equal(("second", 2, OutboxState.InProgress, "{\"v\":2}"), (takenOver.ClaimedBy, takenOver.Attempts, takenOver.State, takenOver.Payload));
    }

    [Fact]
    public void A_transient_failure_is_open_to_the_next_attempt_which_counts_it()
    {
        var failed = Claimed("k").RecordOutboxFailed("k", "smtp 451", permanently: false);
        Assert.Equal((OutboxState.Failed, "smtp 451"), (failed.Outbox.Find("k")!.State, failed.Outbox.Find("k")!.Failure));
        Assert.Equal(2, failed.ClaimOutboxEntry(Owed("k"), "second", A.Jan1.AddSeconds(1), Lease)!.Outbox.Find("k")!.Attempts);
    }

    [Fact]
    public void A_permanent_failure_finishes_the_entry_so_nobody_claims_it_again()
    {
        var failed = Claimed("k").RecordOutboxFailed("k", "550 no such mailbox " + new string('x', 600), permanently: true);
        var entry = failed.Outbox.Find("k")!;
        Assert.Equal((OutboxState.FailedPermanently, true, null, OutboxEntry.MaxFailureLength), (entry.State, entry.IsFinished, entry.Payload, entry.Failure!.Length));
        Assert.Null(failed.ClaimOutboxEntry(Owed("k"), "second", A.Jan1.AddDays(1), Lease));
    }

    [Fact]
    public void A_reminder_given_up_on_is_behind_the_window_which_plans_the_next_one()
    {
        var credential = A.Credential();
        var step = RenewalWindow.NextStep(credential, FirstReminder)!;
        Assert.Equal(("c1:reminder:P90D", FirstReminder), (step.DeliveryKey, step.At));

        var givenUp = credential.ClaimOutboxEntry(Owed(step.DeliveryKey), "sender", FirstReminder, Lease)!
            .RecordOutboxFailed(step.DeliveryKey, "400 InvalidRecipient", permanently: true);

        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 1, FirstReminder.AddDays(30), IsoDuration.FromDays(60)), RenewalWindow.NextStep(givenUp, FirstReminder.AddMinutes(1)));
    }

    [Fact]
    public void A_lapse_follow_up_given_up_on_ends_the_window()
    {
        var lapsed = A.Credential();
        var schedule = lapsed.Schedule!;
        lapsed = lapsed.EnterGrace(schedule.ExpiresAt).Credential.Lapse(schedule.GraceEndsAt).Credential;
        var followUp = RenewalWindow.NextStep(lapsed, schedule.FollowUpAt)!;
        Assert.Equal(RenewalStepKind.LapseFollowUp, followUp.Kind);

        var givenUp = lapsed.ClaimOutboxEntry(Owed(followUp.DeliveryKey), "sender", schedule.FollowUpAt, Lease)!
            .RecordOutboxFailed(followUp.DeliveryKey, "attempts spent", permanently: true);

        Assert.Null(RenewalWindow.NextStep(givenUp, schedule.FollowUpAt.AddDays(1)));
    }

    [Fact]
    public void An_entry_handed_to_another_sender_is_finished_here_and_names_that_sender_and_keeps_what_it_sends()
    {
        var outbox = new Outbox([Owed("k")]).HandedTo("k", "ledger-1");
        var entry = outbox.Find("k")!;
        Assert.Equal((OutboxState.Sent, "ledger-1", "{\"v\":1}", null), (entry.State, entry.ClaimedBy, entry.Payload, entry.ProviderMessageId));
        Assert.True(outbox.IsHandedTo("k", "ledger-1"));
        Assert.False(outbox.IsHandedTo("k", "ledger-2"));
        Assert.Empty(outbox.Unsent);
        Assert.Null(outbox.Claim(Owed("k"), "another", A.Jan1, Lease));
    }

    [Fact]
    public void An_entry_sent_by_its_own_record_is_not_handed_to_anyone_and_an_entry_not_owed_cannot_be_handed_over()
    {
        var sent = Claimed("k", claimant: "ledger-1").RecordOutboxSent("k", "msg-1", A.Jan1).Credential.Outbox;
        Assert.False(sent.IsHandedTo("k", "ledger-1"));
        Assert.Throws<InvalidTransitionException>(() => Outbox.Empty.HandedTo("k", "ledger-1"));
    }
}
