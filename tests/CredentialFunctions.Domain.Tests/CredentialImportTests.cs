using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;

namespace CredentialFunctions.Domain.Tests;

public sealed class CredentialImportTests
{
    private static readonly DateTimeOffset Now = A.Jan1;

    [Fact]
    public void An_imported_credential_keeps_its_original_dates_and_renewals_and_its_audit_trail_opens_with_who_imported_it_from_which_file()
    {
        var expiry = Now.AddDays(200);
        var imported = A.Imported(expiry, Now, renewals: 2);

        Assert.Equal(expiry.AddYears(-3), imported.IssuedAt);
        Assert.Equal(expiry.AddYears(-3), imported.Completion.CompletedAt);
        Assert.Equal(expiry, imported.ExpiresAt);
        Assert.Equal(3, imported.Cycle);
        Assert.Equal([expiry.AddYears(-2).AddDays(-10), expiry.AddYears(-1).AddDays(-10)], imported.RenewalHistory.Select(r => r.At));
        Assert.Equal(CredentialState.Active, imported.State);
        var entry = Assert.Single(imported.AuditTrail);
        Assert.Equal((AuditAction.Imported, "user:registrar", Now), (entry.Action, entry.Actor, entry.At));
        Assert.Equal("legacy.csv", entry.Details["fileName"]);
        Assert.Equal(new string('a', 64), entry.Details["fileSha256"]);
        Assert.Equal("2", entry.Details["line"]);
        Assert.Equal(new ImportOrigin("legacy.csv", new string('a', 64), 2, Now, "user:registrar"), imported.ImportedFrom);
        Assert.True(imported.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void Where_a_credential_was_imported_from_is_covered_by_its_tamper_check()
    {
        var imported = A.Imported(Now.AddDays(200), Now);

        var edited = imported with { ImportedFrom = imported.ImportedFrom! with { FileName = "other.csv" } };

        Assert.False(edited.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void A_credential_imported_inside_its_renewal_window_owes_only_the_reminders_still_due()
    {
        // 45 days before expiry: the 90- and 60-day reminders fell due under the previous system.
        var expiry = Now.AddDays(45);
        var imported = A.Imported(expiry, Now);
        var issuedAlike = A.Credential(A.Program(at: expiry.AddYears(-1)), expiry.AddYears(-1));

        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 1, expiry.AddDays(-30), IsoDuration.FromDays(30)), RenewalWindow.NextStep(imported, Now));
        // The same record issued here and its window late would send the latest missed reminder at once.
        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 1, expiry.AddDays(-60), IsoDuration.FromDays(60)), RenewalWindow.NextStep(issuedAlike, Now));
        Assert.Equal(CredentialStatus.InRenewalWindow, imported.StatusAt(Now));
    }

    [Fact]
    public void A_credential_imported_before_its_renewal_window_owes_every_reminder_and_no_issuance_notice()
    {
        var expiry = Now.AddDays(200);

        var next = RenewalWindow.NextStep(A.Imported(expiry, Now), Now);

        Assert.Equal(new RenewalStep(RenewalStepKind.Reminder, 1, expiry.AddDays(-90), IsoDuration.FromDays(90)), next);
    }

    [Fact]
    public void A_credential_imported_after_expiry_is_in_grace_since_its_expiry_and_owes_no_grace_notice_only_the_lapse()
    {
        var expiry = Now.AddDays(-10);

        var imported = A.Imported(expiry, Now);

        Assert.Equal((CredentialState.InGrace, expiry), (imported.State, imported.StateChangedAt));
        Assert.Equal(CredentialStatus.InGrace, imported.StatusAt(Now));
        Assert.Equal(new RenewalStep(RenewalStepKind.Lapse, 1, expiry.AddDays(30)), RenewalWindow.NextStep(imported, Now));
    }

    [Fact]
    public void A_credential_imported_after_its_grace_ended_is_lapsed_since_then_and_owes_only_the_follow_up_still_ahead()
    {
        var expiry = Now.AddDays(-40);

        var imported = A.Imported(expiry, Now);

        Assert.Equal((CredentialState.Lapsed, expiry.AddDays(30)), (imported.State, imported.StateChangedAt));
        Assert.Equal(new RenewalStep(RenewalStepKind.LapseFollowUp, 1, expiry.AddDays(60)), RenewalWindow.NextStep(imported, Now));
        Assert.Null(RenewalWindow.NextStep(A.Imported(Now.AddDays(-70), Now), Now));
    }

    [Fact]
    public void An_import_refuses_an_expiry_before_the_issue_and_a_score_that_does_not_pass()
    {
        var program = A.Program();
        var origin = new ImportOrigin("legacy.csv", new string('a', 64), 2, Now, "user:registrar");
        ImportedRecord Record(decimal score, DateTimeOffset expiry) => new(new Completion(Now.AddYears(-1), score), Now.AddYears(-1), expiry, [], []);

        Assert.Throws<ValidationFailedException>(() => Credential.Import(A.Id(), A.Learner, program, Record(90, Now.AddYears(-2)), Placement.None, origin));
        Assert.Throws<InvalidTransitionException>(() => Credential.Import(A.Id(), A.Learner, program, Record(50, Now.AddDays(30)), Placement.None, origin));
    }
}
