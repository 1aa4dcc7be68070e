using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using FsCheck.Xunit;

namespace CredentialFunctions.Domain.Tests;

public class CreditLedgerTests
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);
    private static readonly DateTimeOffset InWindow = Expiry.AddDays(-30);

    private static Credential Requiring(decimal required, CreditAttestation attestation = CreditAttestation.ReviewRequired)
        => A.Credential(A.Terms(pathways: [RenewalPathway.ContinuingEducationCredits, RenewalPathway.RetakeExam]) with { RequiredCeCredits = required, CreditAttestation = attestation });

    private static Credential LoggedByHolder(Credential c, decimal amount, string reference, DateTimeOffset? at = null)
        => c.LogCredit(at ?? InWindow, amount, "CPD", "Safety seminar", reference, CreditSource.Holder, at ?? InWindow, "user:ada")!.Credential;

    [Fact]
    public void A_credit_earned_up_to_the_clock_skew_ahead_is_logged_and_one_earned_later_is_refused_naming_earnedAt()
    {
        var latest = InWindow + ClockSkew.Tolerance;
        CredentialChange? Log(DateTimeOffset earnedAt) => Requiring(10).LogCredit(earnedAt, 1, "CPD", "Safety seminar", "cert-1", CreditSource.Holder, InWindow, "user:ada");

        Assert.Equal(latest, Log(latest)!.Credential.CreditLog[0].EarnedAt);
        Assert.Equal(["earnedAt"], Assert.Throws<ValidationFailedException>(() => Log(latest.AddSeconds(1))).Errors.Keys);
    }

    [Fact]
    public void A_learners_own_credits_wait_for_review_and_count_only_once_approved()
    {
        var c = LoggedByHolder(Requiring(10), 10, "cert-1");

        Assert.Equal(CreditReviewState.Pending, c.CreditLog[0].Review!.State);
        Assert.Equal(new CycleCredits(0, 10, 1), c.CreditsThisCycle);
        Assert.Null(c.RenewableByCreditsFrom);
        Assert.Throws<ValidationFailedException>(() => c.Renew(RenewalPathway.ContinuingEducationCredits, InWindow, "user:ada"));

        var approved = c.ApproveCredit(1, InWindow.AddDays(1), "user:pm");

        Assert.Equal((AuditAction.CreditApproved, "1"), (approved.Entry.Action, approved.Entry.Details!["credit"]));
        Assert.Equal(new CycleCredits(10, 0, 1), approved.Credential.CreditsThisCycle);
        Assert.True(approved.Credential.IsRenewableByCreditsAt(InWindow.AddDays(1)));
        Assert.True(approved.Credential.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void Pending_credits_leave_the_window_on_its_reminders_and_approved_ones_renew_it_when_it_opens()
    {
        var earned = A.Jan1.AddMonths(2);
        var pending = LoggedByHolder(Requiring(10), 10, "cert-1", earned);
        Assert.Equal(RenewalStepKind.Reminder, RenewalWindow.NextStep(pending, earned)!.Kind);

        var approved = pending.ApproveCredit(1, earned, "user:pm").Credential;

        Assert.Equal(new RenewalStep(RenewalStepKind.RenewByCredits, 1, Expiry.AddDays(-90)), RenewalWindow.NextStep(approved, earned));
    }

    [Fact]
    public void Under_a_self_attested_program_a_learners_credits_count_at_once()
    {
        var c = LoggedByHolder(Requiring(10, CreditAttestation.SelfAttested), 10, "cert-1");
        Assert.Null(c.CreditLog[0].Review);
        Assert.True(c.IsRenewableByCreditsAt(InWindow));
    }

    [Fact]
    public void Credits_a_program_manager_logs_count_at_once_even_under_review()
    {
        var c = Requiring(10).LogCredit(InWindow, 10, "CPD", "Audited course", null, CreditSource.ProgramStaff, InWindow, "user:pm")!.Credential;
        Assert.Equal(10m, c.CreditsThisCycle.Counted);
        Assert.Throws<InvalidTransitionException>(() => c.ApproveCredit(1, InWindow, "user:pm"));
    }

    [Fact]
    public void A_rejected_credit_never_counts_and_the_reason_is_kept()
    {
        var rejected = LoggedByHolder(Requiring(10), 10, "cert-1").RejectCredit(1, InWindow.AddDays(1), "user:pm", "The certificate number does not match the provider's records.");

        Assert.Equal((AuditAction.CreditRejected, "The certificate number does not match the provider's records."), (rejected.Entry.Action, rejected.Entry.Reason));
        Assert.Equal(new CreditReview(CreditReviewState.Rejected, InWindow.AddDays(1), "user:pm", "The certificate number does not match the provider's records."), rejected.Credential.CreditLog[0].Review);
        Assert.Equal(new CycleCredits(0, 0, 1), rejected.Credential.CreditsThisCycle);
        Assert.Throws<InvalidTransitionException>(() => rejected.Credential.ApproveCredit(1, InWindow.AddDays(2), "user:pm"));
    }

    [Fact]
    public void A_review_names_a_credit_that_exists_and_a_rejection_needs_a_reason()
    {
        var c = LoggedByHolder(Requiring(10), 4, "cert-1");
        Assert.Throws<NotFoundException>(() => c.ApproveCredit(2, InWindow, "user:pm"));
        Assert.Throws<NotFoundException>(() => c.ApproveCredit(0, InWindow, "user:pm"));
        Assert.Contains("reason", Assert.Throws<ValidationFailedException>(() => c.RejectCredit(1, InWindow, "user:pm", " ")).Errors.Keys);
        Assert.Contains("reason", Assert.Throws<ValidationFailedException>(() => c.RejectCredit(1, InWindow, "user:pm", new string('x', CreditLedger.MaxReasonLength + 1))).Errors.Keys);
    }

    [Fact]
    public void A_learner_logging_their_own_credit_must_give_its_reference()
    {
        var refused = Assert.Throws<ValidationFailedException>(() => Requiring(10).LogCredit(InWindow, 2, "CPD", "Webinar", null, CreditSource.Holder, InWindow, "user:ada"));
        Assert.Contains("reference", refused.Errors.Keys);
    }

    [Fact]
    public void Credits_earned_before_the_cycle_began_are_refused()
    {
        var renewed = Requiring(10).Renew(RenewalPathway.RetakeExam, InWindow, "lms").Credential;
        var refused = Assert.Throws<ValidationFailedException>(() => LoggedByHolder(renewed, 2, "cert-1", InWindow.AddDays(1)));
        Assert.Contains(Expiry.ToString("yyyy-MM-dd"), refused.Errors["earnedAt"][0]);
    }

    [Fact]
    public void Approving_a_credit_or_waiving_review_behind_the_audit_chain_is_detected()
    {
        var pending = LoggedByHolder(Requiring(10), 10, "cert-1");
        var forged = pending with { CreditLog = CreditLedger.Of([pending.CreditLog[0] with { Review = new CreditReview(CreditReviewState.Approved, InWindow, "user:pm") }]) };
        var selfAttested = pending with { Terms = pending.Terms with { CreditAttestation = CreditAttestation.SelfAttested } };
        Assert.True(pending.VerifyAuditTrail().IsIntact);
        Assert.False(forged.VerifyAuditTrail().IsIntact);
        Assert.False(selfAttested.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void One_cycle_holds_at_most_its_cap_of_entries_and_the_next_is_refused_naming_the_limit()
    {
        var c = Requiring(10);
        for (var i = 0; i < CreditLedger.MaxEntriesPerCycle; i++) c = LoggedByHolder(c, 1, $"cert-{i}");

        var refused = Assert.Throws<LimitReachedException>(() => LoggedByHolder(c, 1, "one-more"));

        Assert.Equal(("creditEntriesPerCycle", CreditLedger.MaxEntriesPerCycle), (refused.Limit, refused.Maximum));
        Assert.Contains(CreditLedger.MaxEntriesPerCycle.ToString(), refused.Message);
        Assert.Null(c.LogCredit(InWindow, 1, "CPD", "Safety seminar", "cert-0", CreditSource.Holder, InWindow, "user:ada"));
    }

    [Property(MaxTest = 200)]
    public bool Only_approved_credits_count_and_renewal_by_credits_follows_them(byte[] amounts, byte[] decisions)
    {
        var c = Requiring(20);
        var approved = 0m;
        var pending = 0m;
        for (var i = 0; i < Math.Min(amounts.Length, CreditLedger.MaxEntriesPerCycle); i++)
        {
            var amount = amounts[i] % 10 + 1;
            c = LoggedByHolder(c, amount, $"cert-{i}");
            switch (i < decisions.Length ? decisions[i] % 3 : 2)
            {
                case 0: c = c.ApproveCredit(i + 1, InWindow, "user:pm").Credential; approved += amount; break;
                case 1: c = c.RejectCredit(i + 1, InWindow, "user:pm", "No evidence").Credential; break;
                default: pending += amount; break;
            }
        }
        return c.CreditsThisCycle == new CycleCredits(approved, pending, Math.Min(amounts.Length, CreditLedger.MaxEntriesPerCycle))
            && c.IsRenewableByCreditsAt(InWindow) == approved >= 20
            && c.VerifyAuditTrail().IsIntact;
    }
}
