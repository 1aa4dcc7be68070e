using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Learners;

namespace CredentialFunctions.Domain.Tests;

public class EmploymentTests
{
    [Fact]
    public void A_move_places_the_credential_in_HR_s_team_and_job_site_keeps_the_cohort_and_audits_where_it_was()
    {
        var c = A.Credential(A.Program(), placement: new Placement("Green", "2026-A", "Site 1"));
        var employment = new Employment(Active: true, Team: "Red", JobSite: null);

        var moved = c.ChangePlacement(employment.PlacementFrom(c.Placement), A.Jan1.AddDays(3), "integration:hr-scim", Employment.MoverReason)!;

        Assert.Equal(new Placement("Red", "2026-A", null), moved.Credential.Placement);
        Assert.Equal(AuditAction.PlacementChanged, moved.Entry.Action);
        Assert.Equal(new Dictionary<string, string>
        {
            ["fromTeam"] = "Green", ["toTeam"] = "Red", ["fromCohort"] = "2026-A", ["toCohort"] = "2026-A", ["fromJobSite"] = "Site 1",
        }, moved.Entry.Details);
        Assert.True(moved.Credential.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void A_move_to_where_the_credential_already_is_changes_nothing()
    {
        var c = A.Credential(A.Program(), placement: new Placement("Red", null, "Site 9"));

        Assert.Null(c.ChangePlacement(new Placement("Red", null, "Site 9"), A.Jan1, "integration:hr-scim", Employment.MoverReason));
    }

    [Fact]
    public void A_leaver_ends_tracking_of_open_tracked_credentials_only_and_moves_none()
    {
        var leaver = new Employment(Active: false, "Red", "Site 9");
        var open = A.Credential();
        var revoked = open.Revoke(A.Jan1.AddDays(1), "user:pm", "Fraud").Credential;
        var untracked = open.EndTracking(A.Jan1.AddDays(1), "user:pm", "Left").Credential;

        Assert.True(leaver.EndsTrackingOf(open));
        Assert.False(leaver.EndsTrackingOf(revoked));
        Assert.False(leaver.EndsTrackingOf(untracked));
        Assert.False(leaver.MovesWith(open));
        Assert.False(new Employment(true, "Red", null).MovesWith(untracked));
        Assert.False(new Employment(true, "Red", null).EndsTrackingOf(open));
    }
}
