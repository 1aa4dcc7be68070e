using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.StatusLists;

namespace CredentialFunctions.Domain.Tests;

public class SuspensionTests
{
    private static readonly DateTimeOffset Expiry = A.Jan1.AddYears(1);

    public static TheoryData<string, DateTimeOffset, CredentialStatus> ClockStatuses => new()
    {
        { "active", A.Jan1.AddDays(10), CredentialStatus.Active },
        { "in the renewal window", Expiry.AddDays(-10), CredentialStatus.InRenewalWindow },
        { "in grace", Expiry.AddDays(10), CredentialStatus.InGrace },
        { "past grace", Expiry.AddDays(40), CredentialStatus.Lapsed },
    };

    [Theory]
    [MemberData(nameof(ClockStatuses))]
    public void A_suspended_credential_is_suspended_whatever_the_clock_and_lifting_gives_back_the_status_the_clock_gives(string _, DateTimeOffset at, CredentialStatus byTheClock)
    {
        var c = A.Credential();
        var suspended = c.Suspend(A.Jan1.AddDays(5), "user:pm", "Complaint under review").Credential;
        Assert.Equal(CredentialStatus.Suspended, suspended.StatusAt(at));

        var lifted = suspended.LiftSuspension(A.Jan1.AddDays(6), "user:pm", "Complaint dismissed").Credential;
        Assert.Equal(byTheClock, lifted.StatusAt(at));
        Assert.Equal(c.StatusAt(at), lifted.StatusAt(at));
    }

    [Fact]
    public void A_lapsed_credential_can_be_suspended_and_is_lapsed_again_once_lifted()
    {
        var lapsed = A.Credential().Lapse(Expiry.AddDays(31)).Credential;
        var suspended = lapsed.Suspend(Expiry.AddDays(32), "user:pm", "Fraud inquiry").Credential;
        Assert.Equal(CredentialStatus.Suspended, suspended.StatusAt(Expiry.AddDays(33)));
        Assert.Equal(CredentialStatus.Lapsed, suspended.LiftSuspension(Expiry.AddDays(34), "user:pm", "Cleared").Credential.StatusAt(Expiry.AddDays(35)));
    }

    [Fact]
    public void Suspending_and_lifting_are_audited_with_who_and_why_and_keep_the_chain_intact()
    {
        var suspended = A.Credential().Suspend(A.Jan1.AddDays(5), "user:pm", "  Complaint under review ");
        Assert.Equal((AuditAction.Suspended, "user:pm", "Complaint under review"), (suspended.Entry.Action, suspended.Entry.Actor, suspended.Entry.Reason));
        Assert.Equal(new Suspension(A.Jan1.AddDays(5), "user:pm", "Complaint under review"), suspended.Credential.Suspension);

        var lifted = suspended.Credential.LiftSuspension(A.Jan1.AddDays(6), "user:admin", "Complaint dismissed");
        Assert.Equal((AuditAction.SuspensionLifted, "Complaint dismissed"), (lifted.Entry.Action, lifted.Entry.Reason));
        Assert.Equal(A.Jan1.AddDays(5).ToString("O"), lifted.Entry.Details!["suspendedAt"]);
        Assert.Null(lifted.Credential.Suspension);
        Assert.True(lifted.Credential.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void Editing_a_suspension_behind_the_chain_is_detected()
    {
        var suspended = A.Credential().Suspend(A.Jan1.AddDays(5), "user:pm", "Complaint under review").Credential;
        Assert.False((suspended with { Suspension = null }).VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void A_suspended_credential_cannot_be_suspended_again_nor_an_unsuspended_one_lifted()
    {
        var c = A.Credential();
        Assert.Throws<InvalidTransitionException>(() => c.LiftSuspension(A.Jan1.AddDays(1), "user:pm", "Nothing to lift"));
        var suspended = c.Suspend(A.Jan1.AddDays(1), "user:pm", "Inquiry").Credential;
        Assert.Throws<InvalidTransitionException>(() => suspended.Suspend(A.Jan1.AddDays(2), "user:pm", "Again"));
    }

    [Fact]
    public void A_revoked_or_superseded_credential_cannot_be_suspended()
    {
        var revoked = A.Credential().Revoke(A.Jan1.AddDays(1), "user:pm", "Fraud").Credential;
        var superseded = A.Credential().Supersede(A.Id(8).Value, A.Jan1.AddDays(1), "user:pm", "Re-issued").Credential;
        Assert.Throws<InvalidTransitionException>(() => revoked.Suspend(A.Jan1.AddDays(2), "user:pm", "Inquiry"));
        Assert.Throws<InvalidTransitionException>(() => superseded.Suspend(A.Jan1.AddDays(2), "user:pm", "Inquiry"));
    }

    [Fact]
    public void Revoking_a_suspended_credential_revokes_it_and_the_suspension_stays_on_record_until_lifted()
    {
        var revoked = A.Credential().Suspend(A.Jan1.AddDays(1), "user:pm", "Inquiry").Credential.Revoke(A.Jan1.AddDays(2), "user:pm", "Inquiry upheld").Credential;
        Assert.Equal(CredentialStatus.Revoked, revoked.StatusAt(A.Jan1.AddDays(3)));
        var reinstated = revoked.Reinstate(A.Jan1.AddDays(4), "user:pm", "Appeal won").Credential;
        Assert.Equal(CredentialStatus.Suspended, reinstated.StatusAt(A.Jan1.AddDays(5)));
        Assert.Equal(CredentialStatus.Active, reinstated.LiftSuspension(A.Jan1.AddDays(5), "user:pm", "Appeal won").Credential.StatusAt(A.Jan1.AddDays(6)));
    }

    [Fact]
    public void A_renewal_while_suspended_renews_and_keeps_the_suspension()
    {
        var renewed = A.Credential().Suspend(Expiry.AddDays(-20), "user:pm", "Inquiry").Credential
            .Renew(Programs.RenewalPathway.RetakeExam, Expiry.AddDays(-10), "user:pm").Credential;
        Assert.Equal(Expiry.AddYears(1), renewed.ExpiresAt);
        Assert.Equal(CredentialStatus.Suspended, renewed.StatusAt(Expiry));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_suspension_or_its_lifting_needs_a_reason(string reason)
    {
        Assert.Throws<ValidationFailedException>(() => A.Credential().Suspend(A.Jan1, "user:pm", reason));
        var suspended = A.Credential().Suspend(A.Jan1, "user:pm", "Inquiry").Credential;
        Assert.Throws<ValidationFailedException>(() => suspended.LiftSuspension(A.Jan1, "user:pm", reason));
    }

    [Fact]
    public void The_status_bits_follow_revocation_and_suspension_and_the_lists_are_behind_until_published()
    {
        var c = A.Credential();
        Assert.False(c.StatusListsBehind);
        var entries = new StatusListEntries(new StatusListEntry(StatusPurpose.Revocation, 1, 17, false), new StatusListEntry(StatusPurpose.Suspension, 1, 90, false));
        var suspended = c.WithStatusLists(entries).Suspend(A.Jan1.AddDays(1), "user:pm", "Inquiry").Credential;
        Assert.Equal((false, true), (suspended.StatusBit(StatusPurpose.Revocation), suspended.StatusBit(StatusPurpose.Suspension)));
        Assert.True(suspended.StatusListsBehind);
        Assert.False(suspended.WithStatusLists(entries.With(entries.Suspension.AsPublished(true))).StatusListsBehind);

        var revoked = c.Revoke(A.Jan1.AddDays(1), "user:pm", "Fraud").Credential;
        Assert.True(revoked.StatusListsBehind);
        Assert.True(revoked.StatusBit(StatusPurpose.Revocation));
    }
}
