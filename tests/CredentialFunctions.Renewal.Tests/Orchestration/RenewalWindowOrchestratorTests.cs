using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;

namespace CredentialFunctions.Renewal.Tests.Orchestration;

public class RenewalWindowOrchestratorTests
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);

    [Fact]
    public async Task Default_terms_sleep_until_90_60_and_30_days_before_expiry_then_expiry_grace_end_and_follow_up()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1);
        var ended = await window.RunAsync();

        Assert.Equal([Expiry.AddDays(-90), Expiry.AddDays(-60), Expiry.AddDays(-30), Expiry, Expiry.AddDays(30), Expiry.AddDays(60)], window.Timers);
        Assert.Equal(["c1:issued:1", "c1:reminder:P90D", "c1:reminder:P60D", "c1:reminder:P30D", "c1:grace", "c1:lapse", "c1:lapse-follow-up"], window.Sent);
        Assert.Equal(new RenewalWindowEnded(window.Credential.CertificateId, 1), ended);
        Assert.Null(window.ContinuedAsNew);
    }

    [Fact]
    public async Task A_reminder_refused_for_good_is_recorded_and_the_window_goes_on_to_the_next_and_ends()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1).Refusing("c1:reminder:P60D");
        var ended = await window.RunAsync();

        Assert.Equal([Expiry.AddDays(-90), Expiry.AddDays(-60), Expiry.AddDays(-30), Expiry, Expiry.AddDays(30), Expiry.AddDays(60)], window.Timers);
        Assert.Single(window.Sent, key => key == "c1:reminder:P60D");
        Assert.Equal(OutboxState.FailedPermanently, window.Credential.Outbox.Find("c1:reminder:P60D")!.State);
        Assert.Equal(new RenewalWindowEnded(window.Credential.CertificateId, 1), ended);
    }

    [Fact]
    public async Task A_follow_up_refused_for_good_still_ends_the_window()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1).Refusing("c1:lapse-follow-up");

        Assert.Equal(new RenewalWindowEnded(window.Credential.CertificateId, 1), await window.RunAsync());
        Assert.Equal(OutboxState.FailedPermanently, window.Credential.Outbox.Find("c1:lapse-follow-up")!.State);
        Assert.Equal(RenewalStepKind.LapseFollowUp, window.Steps[^1].Kind);
    }

    [Fact]
    public async Task A_step_whose_retries_are_spent_waits_out_the_outage_then_continues_as_new_in_the_same_cycle()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1).OutageAt(RenewalStepKind.Reminder);

        Assert.Null(await window.RunAsync());

        var failedAt = Expiry.AddDays(-90);
        Assert.Equal([failedAt, failedAt + RenewalWindowOrchestrator.RetryAfterOutage], window.Timers);
        Assert.Equal(new RenewalWindowInput(window.Credential.CertificateId, 1), window.ContinuedAsNew);
    }

    [Fact]
    public async Task A_programs_own_offsets_grace_and_follow_up_set_the_instants()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms("P2Y", ["P14D", "P6M", "P1D"], grace: "P45D", followUp: "P10D")), A.Jan1);
        await window.RunAsync();

        var expiry = A.Jan1.AddYears(2);
        Assert.Equal([expiry.AddMonths(-6), expiry.AddDays(-14), expiry.AddDays(-1), expiry, expiry.AddDays(45), expiry.AddDays(55)], window.Timers);
        Assert.Equal(["c1:issued:1", "c1:reminder:P6M", "c1:reminder:P14D", "c1:reminder:P1D", "c1:grace", "c1:lapse", "c1:lapse-follow-up"], window.Sent);
    }

    [Fact]
    public async Task The_grace_notice_and_the_lapse_notice_go_at_once_and_each_state_change_comes_before_its_notice()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1);
        await window.RunAsync();

        Assert.Equal(
            [RenewalStepKind.OpeningNotice, RenewalStepKind.Reminder, RenewalStepKind.Reminder, RenewalStepKind.Reminder, RenewalStepKind.EnterGrace, RenewalStepKind.GraceNotice,
             RenewalStepKind.Lapse, RenewalStepKind.LapseNotice, RenewalStepKind.LapseFollowUp],
            window.Steps.Select(s => s.Kind));
        Assert.Equal(Domain.Credentials.CredentialState.Lapsed, window.Credential.State);
    }

    [Fact]
    public async Task A_grace_extension_moves_the_lapse_to_the_new_grace_end()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(30), Expiry.AddDays(10), RenewalWindowEventKind.GraceExtended, (c, now) => c.ExtendGrace(Expiry.AddDays(50), now, "pm", "on leave").Credential);
        await window.RunAsync();

        Assert.Equal([Expiry.AddDays(30), Expiry.AddDays(50), Expiry.AddDays(80)], window.Timers.TakeLast(3));
        Assert.Equal(Expiry.AddDays(50), window.Steps.Single(s => s.Kind == RenewalStepKind.Lapse).At);
    }

    [Fact]
    public async Task Renewal_in_the_window_continues_as_new_for_the_next_cycle_from_the_old_expiry()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(-30), Expiry.AddDays(-45), RenewalWindowEventKind.Renewed, (c, now) => c.Renew(RenewalPathway.RetakeExam, now, "lms").Credential);

        Assert.Null(await window.RunAsync());
        Assert.Equal(new RenewalWindowInput(window.Credential.CertificateId, 2), window.ContinuedAsNew);
        Assert.Equal(["c1:issued:1", "c1:reminder:P90D", "c1:reminder:P60D"], window.Sent);

        var next = new SimulatedWindow(window.Credential, window.Now);
        await next.RunAsync(window.ContinuedAsNew!.Cycle);
        Assert.Equal(Expiry.AddYears(1).AddDays(-90), next.Timers[0]);
        // The renewal's own notice goes at once, keyed by its audit entry; then the new cycle's reminders.
        Assert.Equal($"c2:renewed:{window.Credential.AuditTrail[^1].Sequence}", next.Sent.First());
        Assert.Equal("c2:reminder:P90D", next.Sent.ElementAt(1));
    }

    [Fact]
    public async Task Renewal_in_grace_continues_as_new_with_the_validity_from_the_renewal_date()
    {
        var renewedAt = Expiry.AddDays(10);
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(30), renewedAt, RenewalWindowEventKind.Renewed, (c, now) => c.Renew(RenewalPathway.RefresherModule, now, "lms").Credential);

        await window.RunAsync();
        Assert.Equal(2, window.ContinuedAsNew!.Cycle);
        Assert.Equal(renewedAt.AddYears(1), window.Credential.ExpiresAt);
        Assert.DoesNotContain(window.Steps, s => s.Kind == RenewalStepKind.Lapse);
    }

    [Fact]
    public async Task Revocation_ends_the_window_with_nothing_more_sent()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(-60), Expiry.AddDays(-70), RenewalWindowEventKind.Revoked, (c, now) => c.Revoke(now, "pm", "exam fraud").Credential);

        Assert.NotNull(await window.RunAsync());
        Assert.Equal(["c1:issued:1", "c1:reminder:P90D"], window.Sent);
        Assert.Equal(Expiry.AddDays(-60), window.Timers[^1]);
        Assert.Null(window.ContinuedAsNew);
    }

    [Fact]
    public async Task A_learner_who_left_the_employer_gets_no_more_reminders()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(-90), Expiry.AddDays(-100), RenewalWindowEventKind.LearnerLeft, (c, now) => c.EndTracking(now, "integration:hr", "left").Credential);

        Assert.NotNull(await window.RunAsync());
        Assert.Equal(["c1:issued:1"], window.Sent);
    }

    [Fact]
    public async Task Reinstatement_while_the_follow_up_is_pending_starts_a_new_cycle()
    {
        var reinstatedAt = Expiry.AddDays(40);
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(60), reinstatedAt, RenewalWindowEventKind.RecordChanged, (c, now) => c.Reinstate(now, "pm", "paperwork found").Credential);

        await window.RunAsync();
        Assert.Equal(2, window.ContinuedAsNew!.Cycle);
        Assert.DoesNotContain("c1:lapse-follow-up", window.Sent);
        Assert.Equal(reinstatedAt.AddYears(1), window.Credential.ExpiresAt);
    }

    [Fact]
    public async Task Reinstatement_that_keeps_the_cycle_sends_its_own_notice_once()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()).Revoke(A.Jan1.AddDays(5), "pm", "error").Credential.Reinstate(A.Jan1.AddDays(6), "pm", "appeal upheld").Credential,
            A.Jan1.AddDays(6));
        await window.RunAsync();

        var reinstated = window.Credential.AuditTrail.First(e => e.Action == Domain.Audit.AuditAction.Reinstated);
        Assert.Equal($"c1:reinstated:{reinstated.Sequence}", window.Sent.First());
        Assert.DoesNotContain("c1:issued:1", window.Sent);
    }

    [Fact]
    public async Task Credits_that_met_the_requirement_early_renew_when_the_window_opens_instead_of_a_reminder()
    {
        var terms = A.Terms() with { Pathways = [RenewalPathway.ContinuingEducationCredits], RequiredCeCredits = 10 };
        var earned = A.Jan1.AddMonths(3);
        var credential = A.Credential(terms).LogCredit(earned, 10, "CPD", "Annual safety conference", null, CreditSource.ProgramStaff, earned, "pm")!.Credential;
        var window = new SimulatedWindow(credential, earned);

        Assert.Null(await window.RunAsync(1));

        Assert.Equal([Expiry.AddDays(-90)], window.Timers);
        Assert.Equal(RenewalStepKind.RenewByCredits, window.Steps.Single().Kind);
        Assert.Equal(2, window.ContinuedAsNew!.Cycle);
        Assert.Equal(Expiry.AddYears(1), window.Credential.ExpiresAt);
        Assert.Empty(window.Sent);
    }

    [Fact]
    public async Task A_three_year_validity_sleeps_on_one_timer_per_instant_years_ahead()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms("P3Y")), A.Jan1);
        await window.RunAsync();

        var expiry = A.Jan1.AddYears(3);
        Assert.Equal(new DateTimeOffset(2028, 10, 3, 9, 0, 0, TimeSpan.Zero), window.Timers[0]);
        Assert.Equal([expiry.AddDays(-90), expiry.AddDays(-60), expiry.AddDays(-30), expiry, expiry.AddDays(30), expiry.AddDays(60)], window.Timers);
    }

    [Fact]
    public async Task A_window_started_late_sends_the_missed_reminder_at_once_without_a_timer_and_only_the_latest()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), Expiry.AddDays(-45));
        await window.RunAsync();

        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 1, Expiry.AddDays(-60), IsoDuration.FromDays(60)), window.Steps[0]);
        Assert.Equal(Expiry.AddDays(-30), window.Timers[0]);
        Assert.DoesNotContain("c1:reminder:P90D", window.Sent);
    }

    [Fact]
    public async Task Instants_are_judged_by_the_orchestration_clock_alone_never_the_machine_clock()
    {
        // Years after the machine's clock: had the orchestrator read DateTime.UtcNow, every instant
        // would look in the future and it would sleep instead of catching up.
        var issued = new DateTimeOffset(2090, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var window = new SimulatedWindow(A.Credential(A.Terms(), issued), issued.AddYears(1).AddDays(5));
        await window.RunAsync();

        Assert.Equal(RenewalStepKind.EnterGrace, window.Steps[0].Kind);
        Assert.DoesNotContain(issued.AddYears(1), window.Timers);
    }

    [Fact]
    public async Task Replayed_against_its_recorded_history_a_window_asks_for_exactly_what_it_asked_before_and_ends_the_same()
    {
        // A grace extension on the way, so the history holds an interrupted timer and an event as well as fired timers.
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(30), Expiry.AddDays(10), RenewalWindowEventKind.GraceExtended, (c, now) => c.ExtendGrace(Expiry.AddDays(50), now, "pm", "on leave").Credential);
        var ended = await window.RunAsync();

        Assert.Equal(ended, await window.ReplayAsync());
    }

    [Fact]
    public async Task Replayed_after_continuing_as_new_a_window_asks_for_the_same_new_cycle()
    {
        var window = new SimulatedWindow(A.Credential(A.Terms()), A.Jan1)
            .When(Expiry.AddDays(-30), Expiry.AddDays(-45), RenewalWindowEventKind.Renewed, (c, now) => c.Renew(RenewalPathway.RetakeExam, now, "lms").Credential);
        Assert.Null(await window.RunAsync());

        Assert.Null(await window.ReplayAsync());
    }
}
