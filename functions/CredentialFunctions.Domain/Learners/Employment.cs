using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Domain.Learners;

/// <summary>
/// What the HR platform says of a learner's employment (spec C13; seed 003: "when an employee joins
/// or leaves your HR platform, your certification records should reflect that"): whether they are
/// still employed, and their team and job site.
/// </summary>
public sealed record Employment(bool Active, string? Team, string? JobSite)
{
    public const string LeaverReason = "HR leaver (SCIM)";
    public const string MoverReason = "HR move (SCIM)";

    /// <summary>Where a credential of the learner should place them: HR's team and job site; the cohort is the training's, kept.</summary>
    public Placement PlacementFrom(Placement current) => current with { Team = Team, JobSite = JobSite };

    /// <summary>A leaver's credentials stop being tracked for the employer; an ended or already untracked one has nothing left to stop.</summary>
    public bool EndsTrackingOf(Credential credential) => !Active && !credential.HasEnded && credential.TrackingEndedAt is null;

    /// <summary>A tracked, open credential of someone still employed follows them when they move.</summary>
    public bool MovesWith(Credential credential) => Active && !credential.HasEnded && credential.TrackingEndedAt is null;
}
