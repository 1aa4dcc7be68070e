using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests;

public class CredentialLifecycleTests
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);

    [Fact]
    public void Issuance_records_the_eight_fields_and_the_program_version()
    {
        var c = A.Credential();
        Assert.Equal("Ada Lovelace", c.Holder.LegalName);
        Assert.Equal(A.Jan1, c.Completion.CompletedAt);
        Assert.Equal((88m, 70m), (c.Completion.Score, c.PassThreshold));
        Assert.Equal(CertificateId.ParseFailure.None, CertificateId.TryParse(c.CertificateId, out _));
        Assert.Equal(Expiry, c.ExpiresAt);
        Assert.Equal([new CeuCredit(2.5m, "CPD")], c.CreditsEarned);
        Assert.Empty(c.RenewalHistory);
        Assert.Equal(("Widget Board", "Certified Widgetmaker", 1), (c.Program.IssuingOrganization, c.Program.Name, c.Program.Version));
        Assert.Equal(("2026.1", "Site 3"), (c.ContentVersion, c.Placement.JobSite));
        Assert.Equal(AuditAction.Issued, Assert.Single(c.AuditTrail).Action);
    }

    [Theory]
    [InlineData(69.99, false)]
    [InlineData(70, true)]
    [InlineData(100, true)]
    public void A_score_at_or_above_the_threshold_passes(decimal score, bool passes)
        => Assert.Equal(passes ? AssessmentOutcome.Passed : AssessmentOutcome.Failed, A.Program().Assess(score));

    [Theory]
    [InlineData(CredentialKind.PracticeTest)]
    [InlineData(CredentialKind.BenchmarkExam)]
    public void Practice_and_benchmark_results_never_issue(CredentialKind kind)
    {
        var program = A.Program(kind: kind);
        Assert.Equal(AssessmentOutcome.Recorded, program.Assess(100));
        Assert.Throws<InvalidTransitionException>(() => A.Credential(program, score: 100));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(100.01)]
    public void A_score_outside_0_to_100_is_refused(decimal score)
        => Assert.Throws<ValidationFailedException>(() => A.Program().Assess(score));

    [Fact]
    public void A_credential_without_validity_never_expires()
    {
        var c = A.Credential(A.Terms(validity: null));
        Assert.Null(c.ExpiresAt);
        Assert.Null(c.Schedule);
        Assert.Equal(CredentialStatus.Active, c.StatusAt(A.Jan1.AddYears(50)));
    }

    [Fact]
    public void Status_follows_the_schedule_even_before_the_orchestration_records_it()
    {
        var c = A.Credential();
        Assert.Equal(CredentialStatus.Active, c.StatusAt(Expiry.AddDays(-91)));
        Assert.Equal(CredentialStatus.InRenewalWindow, c.StatusAt(Expiry.AddDays(-90)));
        Assert.Equal(CredentialStatus.InRenewalWindow, c.StatusAt(Expiry.AddTicks(-1)));
        Assert.Equal(CredentialStatus.InGrace, c.StatusAt(Expiry));
        Assert.Equal(CredentialStatus.Lapsed, c.StatusAt(Expiry.AddDays(30)));
    }

    [Fact]
    public void Expiry_then_grace_end_moves_the_record_to_grace_then_lapsed()
    {
        var c = A.Credential().EnterGrace(Expiry).Credential;
        Assert.Equal(CredentialState.InGrace, c.State);
        c = c.Lapse(Expiry.AddDays(30)).Credential;
        Assert.Equal(CredentialState.Lapsed, c.State);
        Assert.Equal(CredentialStatus.Lapsed, c.StatusAt(Expiry.AddDays(31)));
    }

    [Fact]
    public void Grace_cannot_start_before_expiry_nor_lapse_before_grace_ends()
    {
        Assert.Throws<InvalidTransitionException>(() => A.Credential().EnterGrace(Expiry.AddTicks(-1)));
        Assert.Throws<InvalidTransitionException>(() => A.Credential().EnterGrace(Expiry).Credential.Lapse(Expiry.AddDays(29)));
    }

    [Fact]
    public void Renewing_inside_the_window_runs_the_new_validity_from_the_old_expiry()
    {
        var c = A.Credential().Renew(RenewalPathway.RefresherModule, Expiry.AddDays(-40), "learner").Credential;
        Assert.Equal(Expiry.AddYears(1), c.ExpiresAt);
        Assert.Equal(2, c.Cycle);
        var r = Assert.Single(c.RenewalHistory);
        Assert.Equal((RenewalPathway.RefresherModule, (DateTimeOffset?)Expiry, c.ExpiresAt), (r.Pathway, r.PreviousExpiry, r.NewExpiry));
    }

    [Fact]
    public void Renewing_in_grace_runs_the_new_validity_from_the_renewal_date()
    {
        var renewedAt = Expiry.AddDays(10);
        var c = A.Credential().EnterGrace(Expiry).Credential.Renew(RenewalPathway.RetakeExam, renewedAt, "lms").Credential;
        Assert.Equal(renewedAt.AddYears(1), c.ExpiresAt);
        Assert.Equal(CredentialState.Active, c.State);
    }

    [Fact]
    public void Renewal_by_a_pathway_the_program_does_not_accept_is_refused()
        => Assert.Throws<ValidationFailedException>(() => A.Credential().Renew(RenewalPathway.SupervisorSignOff, Expiry, "x"));

    [Fact]
    public void A_grace_extension_is_audited_and_moves_the_lapse()
    {
        var change = A.Credential().ExtendGrace(Expiry.AddDays(50), Expiry.AddDays(5), "pm:7", "Deployed overseas");
        Assert.Equal(CredentialStatus.InGrace, change.Credential.StatusAt(Expiry.AddDays(40)));
        Assert.Equal(("pm:7", "Deployed overseas"), (change.Entry.Actor, change.Entry.Reason));
        Assert.Throws<ValidationFailedException>(() => change.Credential.ExtendGrace(Expiry.AddDays(50), Expiry.AddDays(6), "pm:7", "again"));
    }

    [Fact]
    public void Revocation_ends_everything_but_reinstatement()
    {
        var c = A.Credential().Revoke(A.Jan1.AddDays(3), "pm", "Exam misconduct").Credential;
        Assert.Equal(CredentialStatus.Revoked, c.StatusAt(A.Jan1.AddDays(4)));
        Assert.Throws<InvalidTransitionException>(() => c.Renew(RenewalPathway.RetakeExam, A.Jan1.AddDays(5), "x"));
        Assert.Throws<InvalidTransitionException>(() => c.ExtendGrace(Expiry.AddDays(60), A.Jan1.AddDays(5), "pm", "r"));
        Assert.Throws<InvalidTransitionException>(() => c.Revoke(A.Jan1.AddDays(5), "pm", "twice"));
        var reinstated = c.Reinstate(A.Jan1.AddDays(6), "pm", "Appeal upheld").Credential;
        Assert.Equal(CredentialState.Active, reinstated.State);
        Assert.Equal(Expiry, reinstated.ExpiresAt);
    }

    [Fact]
    public void Reinstating_a_lapsed_credential_starts_a_new_cycle_from_today()
    {
        var lapsedAt = Expiry.AddDays(30);
        var c = A.Credential().EnterGrace(Expiry).Credential.Lapse(lapsedAt).Credential;
        var at = lapsedAt.AddDays(12);
        var reinstated = c.Reinstate(at, "pm", "Completed retraining offline").Credential;
        Assert.Equal((CredentialState.Active, (DateTimeOffset?)at.AddYears(1), 2), (reinstated.State, reinstated.ExpiresAt, reinstated.Cycle));
    }

    [Fact]
    public void Only_lapsed_or_revoked_credentials_can_be_reinstated()
        => Assert.Throws<InvalidTransitionException>(() => A.Credential().Reinstate(A.Jan1, "pm", "why"));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Manual_changes_need_a_reason(string reason)
    {
        Assert.Throws<ValidationFailedException>(() => A.Credential().Revoke(A.Jan1, "pm", reason));
        Assert.Throws<ValidationFailedException>(() => A.Credential().ExtendGrace(Expiry.AddDays(60), A.Jan1, "pm", reason));
    }

    [Fact]
    public void A_superseded_credential_names_its_successor()
    {
        var c = A.Credential().Supersede("NEW1-NEW2", A.Jan1.AddDays(1), "pm", "Name corrected").Credential;
        Assert.Equal((CredentialStatus.Superseded, "NEW1-NEW2"), (c.StatusAt(A.Jan1.AddDays(2)), c.SupersededBy));
    }
}
