using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;

namespace CredentialFunctions.Domain.Tests;

public class RenewalWindowTests
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static Credential Sent(Credential c, RenewalStep step)
        => c.ClaimOutboxEntry(Owed(step), "sender", step.At, Lease)!.RecordOutboxSent(step.DeliveryKey, "msg", step.At).Credential;

    private static OutboxEntry Owed(RenewalStep step) => OutboxEntry.Pending(step.DeliveryKey, OutboxChannel.Email, step.Kind.ToString(), "{}");

    /// <summary>A credential as it stands once its issuance notice went out.</summary>
    private static Credential Issued() => Sent(A.Credential(), RenewalWindow.NextStep(A.Credential(), A.Jan1)!);

    [Fact]
    public void A_fresh_credential_first_tells_the_learner_it_was_issued()
    {
        var step = RenewalWindow.NextStep(A.Credential(), A.Jan1)!;
        Assert.Equal((RenewalStepKind.OpeningNotice, "c1:issued:1", A.Jan1), (step.Kind, step.DeliveryKey, step.At));
    }

    [Fact]
    public void An_issuance_notice_older_than_its_freshness_is_skipped()
        => Assert.Equal(RenewalStepKind.Reminder, RenewalWindow.NextStep(A.Credential(), A.Jan1 + RenewalWindow.OpeningNoticeFreshFor)!.Kind);

    [Fact]
    public void Once_issued_the_window_waits_for_its_first_reminder_90_days_before_expiry()
        => Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 1, Expiry.AddDays(-90), IsoDuration.FromDays(90)), RenewalWindow.NextStep(Issued(), A.Jan1));

    [Fact]
    public void Credits_short_of_the_requirement_leave_the_reminders_and_enough_renew_when_the_window_opens()
    {
        var terms = A.Terms(pathways: [RenewalPathway.ContinuingEducationCredits]) with { RequiredCeCredits = 10 };
        var c = Sent(A.Credential(terms), RenewalWindow.NextStep(A.Credential(terms), A.Jan1)!);
        var short_ = c.LogCredit(A.Jan1.AddMonths(2), 9, "CPD", "Course", null, CreditSource.ProgramStaff, A.Jan1.AddMonths(2), "pm")!.Credential;
        Assert.Equal(RenewalStepKind.Reminder, RenewalWindow.NextStep(short_, A.Jan1.AddMonths(2))!.Kind);

        var enough = short_.LogCredit(A.Jan1.AddMonths(3), 1, "CPD", "Webinar", null, CreditSource.ProgramStaff, A.Jan1.AddMonths(3), "pm")!.Credential;
        Assert.Equal(new RenewalStep(RenewalStepKind.RenewByCredits, 1, Expiry.AddDays(-90)), RenewalWindow.NextStep(enough, A.Jan1.AddMonths(3)));
    }

    [Fact]
    public void Each_reminder_sent_moves_the_window_to_the_next_then_to_expiry()
    {
        var c = Issued();
        var instants = new List<DateTimeOffset>();
        var now = A.Jan1;
        while (RenewalWindow.NextStep(c, now) is { Kind: RenewalStepKind.Reminder } step)
        {
            instants.Add(step.At);
            now = step.At;
            c = Sent(c, step);
        }
        Assert.Equal([Expiry.AddDays(-90), Expiry.AddDays(-60), Expiry.AddDays(-30)], instants);
        Assert.Equal(new RenewalStep(RenewalStepKind.EnterGrace, 1, Expiry), RenewalWindow.NextStep(c, now));
    }

    [Fact]
    public void A_window_down_past_two_reminders_sends_only_the_latest_late_once()
    {
        var c = A.Credential();
        var late = Expiry.AddDays(-45);
        var step = RenewalWindow.NextStep(c, late)!;
        Assert.Equal(("P60D", Expiry.AddDays(-60)), (step.Offset.ToString(), step.At));
        Assert.Equal(Expiry.AddDays(-30), RenewalWindow.NextStep(Sent(c, step), late)!.At);
    }

    [Fact]
    public void Grace_then_its_notice_then_lapse_then_the_lapse_notice_and_follow_up()
    {
        var c = A.Credential().EnterGrace(Expiry).Credential;
        var graceNotice = RenewalWindow.NextStep(c, Expiry)!;
        Assert.Equal((RenewalStepKind.GraceNotice, "c1:grace"), (graceNotice.Kind, graceNotice.DeliveryKey));
        c = Sent(c, graceNotice);
        Assert.Equal(new RenewalStep(RenewalStepKind.Lapse, 1, Expiry.AddDays(30)), RenewalWindow.NextStep(c, Expiry));
        c = c.Lapse(Expiry.AddDays(30)).Credential;
        var lapseNotice = RenewalWindow.NextStep(c, Expiry.AddDays(30))!;
        Assert.Equal(RenewalStepKind.LapseNotice, lapseNotice.Kind);
        c = Sent(c, lapseNotice);
        var followUp = RenewalWindow.NextStep(c, Expiry.AddDays(30))!;
        Assert.Equal((RenewalStepKind.LapseFollowUp, Expiry.AddDays(60)), (followUp.Kind, followUp.At));
        Assert.Null(RenewalWindow.NextStep(Sent(c, followUp), Expiry.AddDays(60)));
    }

    [Fact]
    public void An_active_credential_found_after_its_grace_ended_lapses_without_a_grace_notice()
        => Assert.Equal(RenewalStepKind.Lapse, RenewalWindow.NextStep(A.Credential(), Expiry.AddDays(31))!.Kind);

    [Fact]
    public void A_grace_extension_moves_the_lapse()
    {
        var c = A.Credential().EnterGrace(Expiry).Credential.ExtendGrace(Expiry.AddDays(50), Expiry, "pm", "on leave").Credential;
        c = Sent(c, RenewalWindow.NextStep(c, Expiry)!);
        Assert.Equal(Expiry.AddDays(50), RenewalWindow.NextStep(c, Expiry)!.At);
    }

    [Fact]
    public void Renewal_starts_the_next_cycle_with_its_own_delivery_keys()
    {
        var c = Sent(Issued(), RenewalWindow.NextStep(Issued(), Expiry.AddDays(-90))!).Renew(RenewalPathway.RetakeExam, Expiry.AddDays(-80), "lms").Credential;
        var renewedNotice = RenewalWindow.NextStep(c, Expiry.AddDays(-80))!;
        Assert.Equal($"c2:renewed:{c.AuditTrail[^1].Sequence}", renewedNotice.DeliveryKey);
        var step = RenewalWindow.NextStep(Sent(c, renewedNotice), Expiry.AddDays(-80))!;
        Assert.Equal(("c2:reminder:P90D", Expiry.AddYears(1).AddDays(-90)), (step.DeliveryKey, step.At));
    }

    [Fact]
    public void Revoked_superseded_untracked_and_never_expiring_credentials_have_no_window()
    {
        Assert.Null(RenewalWindow.NextStep(A.Credential().Revoke(A.Jan1, "pm", "fraud").Credential, A.Jan1));
        Assert.Null(RenewalWindow.NextStep(A.Credential().Supersede("X", A.Jan1, "pm", "reissued").Credential, A.Jan1));
        Assert.Null(RenewalWindow.NextStep(A.Credential().EndTracking(A.Jan1, "hr", "left the employer").Credential, A.Jan1));
        Assert.Null(RenewalWindow.NextStep(A.Credential(A.Terms(validity: null)), A.Jan1));
    }

    [Fact]
    public void A_sent_delivery_is_audited_and_keeps_the_chain_intact()
    {
        var step = RenewalWindow.NextStep(A.Credential(), A.Jan1)!;
        var c = Sent(A.Credential(), step);
        Assert.Equal(AuditAction.ReminderSent, c.AuditTrail[^1].Action);
        Assert.Equal(step.DeliveryKey, c.AuditTrail[^1].Details["deliveryKey"]);
        Assert.True(c.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void Ending_tracking_is_audited_and_changes_the_record_digest()
    {
        var c = A.Credential();
        var ended = c.EndTracking(A.Jan1.AddDays(3), "hr", "left the employer").Credential;
        Assert.NotEqual(RecordDigest.Of(c), RecordDigest.Of(ended));
        Assert.True(ended.VerifyAuditTrail().IsIntact);
        Assert.Throws<InvalidTransitionException>(() => ended.EndTracking(A.Jan1.AddDays(4), "hr", "again"));
    }

    [Theory]
    [InlineData(RenewalStepKind.Reminder)]
    [InlineData(RenewalStepKind.EnterGrace)]
    [InlineData(RenewalStepKind.Lapse)]
    public void Every_step_round_trips_through_json_as_orchestrator_and_activities_pass_it(RenewalStepKind kind)
    {
        var step = new RenewalStep(kind, 3, Expiry, kind == RenewalStepKind.Reminder ? IsoDuration.FromDays(60) : null);
        Assert.Equal(step, System.Text.Json.JsonSerializer.Deserialize<RenewalStep>(System.Text.Json.JsonSerializer.Serialize(step)));
    }
}
