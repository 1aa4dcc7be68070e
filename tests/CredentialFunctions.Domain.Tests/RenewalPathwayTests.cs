using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests;

public class RenewalPathwayTests
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);
    private static readonly DateTimeOffset InWindow = Expiry.AddDays(-30);

    private static Credential WithCreditsRequired(decimal required) => A.Credential(A.Terms(pathways: [RenewalPathway.ContinuingEducationCredits, RenewalPathway.RetakeExam]) with { RequiredCeCredits = required });

    [Fact]
    public void Renewal_before_the_window_opens_is_refused_so_validity_cannot_stack()
    {
        var c = A.Credential();
        var opens = Expiry.AddDays(-90);
        var early = Assert.Throws<InvalidTransitionException>(() => c.Renew(RenewalPathway.RetakeExam, opens.AddSeconds(-1), "lms"));
        Assert.Contains(opens.ToString("yyyy-MM-dd"), early.Message);
        Assert.Equal(Expiry.AddYears(1), c.Renew(RenewalPathway.RetakeExam, opens, "lms").Credential.ExpiresAt);
    }

    [Fact]
    public void A_credential_that_never_expires_has_nothing_to_renew()
        => Assert.Throws<InvalidTransitionException>(() => A.Credential(A.Terms(validity: null)).Renew(RenewalPathway.RetakeExam, A.Jan1.AddYears(5), "lms"));

    [Fact]
    public void The_renewal_evidence_is_kept_in_the_audit_entry()
    {
        var change = A.Credential().Renew(RenewalPathway.RetakeExam, InWindow, "pm:1", new Dictionary<string, string> { ["score"] = "91" });
        Assert.Equal(AuditAction.Renewed, change.Entry.Action);
        Assert.Equal(("91", "RetakeExam"), (change.Entry.Details!["score"], change.Entry.Details["pathway"]));
        Assert.True(change.Credential.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void Credits_count_toward_the_cycle_they_were_earned_in()
    {
        var c = WithCreditsRequired(10)
            .LogCredit(A.Jan1.AddMonths(2), 4, "CPD", "Safety conference", null, CreditSource.ProgramStaff, A.Jan1.AddMonths(2), "pm")!.Credential
            .LogCredit(A.Jan1.AddMonths(5), 3.5m, "Ethics", "Ethics module", null, CreditSource.ProgramStaff, A.Jan1.AddMonths(6), "pm")!.Credential;
        Assert.Equal(7.5m, c.CreditsThisCycle.Counted);
        Assert.Null(c.RenewableByCreditsFrom);

        c = c.LogCredit(InWindow, 2.5m, "CPD", "Webinar", "lms-evt-9", CreditSource.ProgramStaff, InWindow, "lms")!.Credential;
        Assert.Equal(Expiry.AddDays(-90), c.RenewableByCreditsFrom);
        Assert.Null(c.LogCredit(InWindow, 2.5m, "CPD", "Webinar", "lms-evt-9", CreditSource.ProgramStaff, InWindow.AddHours(1), "lms"));
        var renewed = c.Renew(RenewalPathway.ContinuingEducationCredits, InWindow, "learner").Credential;

        // The new cycle starts at the old expiry: what was earned before it is spent.
        Assert.Equal(Expiry, renewed.CycleStartedAt);
        Assert.Equal(0m, renewed.CreditsThisCycle.Counted);
        Assert.Equal(3, renewed.CreditLog.Count);
    }

    [Fact]
    public void Renewal_by_credits_short_of_the_requirement_is_refused_with_the_numbers()
    {
        var c = WithCreditsRequired(10).LogCredit(InWindow, 6, "CPD", "Course", null, CreditSource.ProgramStaff, InWindow, "pm")!.Credential;
        var refused = Assert.Throws<ValidationFailedException>(() => c.Renew(RenewalPathway.ContinuingEducationCredits, InWindow, "learner"));
        Assert.Contains("(6)", refused.Errors["pathway"][0]);
        Assert.Contains("10", refused.Errors["pathway"][0]);
    }

    [Theory]
    [InlineData(0, "CPD", "Course", 0, "amount")]
    [InlineData(1001, "CPD", "Course", 0, "amount")]
    [InlineData(1, " ", "Course", 0, "category")]
    [InlineData(1, "CPD", "", 0, "activity")]
    [InlineData(1, "CPD", "Course", 2, "earnedAt")]
    [InlineData(1, "CPD", "Course", -400, "earnedAt")]
    public void A_bad_credit_is_refused_naming_the_field(decimal amount, string category, string activity, int earnedDaysFromNow, string field)
    {
        var now = A.Jan1.AddDays(10);
        var refused = Assert.Throws<ValidationFailedException>(() => A.Credential().LogCredit(now.AddDays(earnedDaysFromNow), amount, category, activity, null, CreditSource.ProgramStaff, now, "pm"));
        Assert.Contains(field, refused.Errors.Keys);
    }

    [Fact]
    public void Credits_cannot_be_logged_on_a_revoked_credential()
    {
        var revoked = A.Credential().Revoke(A.Jan1.AddDays(1), "pm", "Fraud").Credential;
        Assert.Throws<InvalidTransitionException>(() => revoked.LogCredit(A.Jan1.AddDays(2), 1, "CPD", "Course", null, CreditSource.ProgramStaff, A.Jan1.AddDays(2), "pm"));
    }

    [Fact]
    public void Ending_tracking_keeps_the_credential_and_its_history_and_happens_once()
    {
        var c = A.Credential();
        var ended = c.EndTracking(A.Jan1.AddMonths(3), "hr:9", "Left the company").Credential;
        Assert.Equal((CredentialState.Active, (DateTimeOffset?)A.Jan1.AddMonths(3)), (ended.State, ended.TrackingEndedAt));
        Assert.Equal(CredentialStatus.Active, ended.StatusAt(A.Jan1.AddMonths(4)));
        Assert.Equal(AuditAction.TrackingEnded, ended.AuditTrail[^1].Action);
        Assert.True(ended.VerifyAuditTrail().IsIntact);
        Assert.Throws<InvalidTransitionException>(() => ended.EndTracking(A.Jan1.AddMonths(4), "hr:9", "again"));
    }
}
