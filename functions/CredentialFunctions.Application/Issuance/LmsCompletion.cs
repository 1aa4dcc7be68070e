using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Issuance;

/// <summary>The learner as the LMS reports them.</summary>
public sealed record LmsLearner(string ExternalId, string FullLegalName, string Email, string? HrId = null);

/// <summary>What an LMS posts when a learner completes a program's course or assessment.</summary>
public sealed record LmsCompletion(
    string EventId,
    LmsLearner Learner,
    string ProgramId,
    decimal Score,
    DateTimeOffset CompletedAt,
    string? Team = null,
    string? Cohort = null,
    string? JobSite = null)
{
    /// <summary>Every broken rule at once; the completion with its text normalised.</summary>
    public LmsCompletion Validated(DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var eventId = PlainText.Required(errors, "eventId", EventId, 200);
        var programId = PlainText.Required(errors, "programId", ProgramId, 100);
        var learner = new LmsLearner(
            PlainText.Required(errors, "learner.externalId", Learner.ExternalId, 200),
            PlainText.Required(errors, "learner.fullLegalName", Learner.FullLegalName, LearnerIdentity.MaxLegalNameLength),
            PlainText.Required(errors, "learner.email", Learner.Email, 320),
            PlainText.Optional(errors, "learner.hrId", Learner.HrId, 200));
        if (!EmailAddresses.IsValid(learner.Email))
            errors.Add("learner.email", "A valid email address is required, e.g. ada@example.org.");
        if (Score is < 0 or > 100) errors.Add("score", "The score must be from 0 to 100.");
        if (ClockSkew.IsInTheFuture(CompletedAt, now)) errors.Add("completedAt", "The completion date cannot be in the future.");
        if (CompletedAt < Completion.Earliest) errors.Add("completedAt", $"The completion date is implausibly old (before {Completion.Earliest:yyyy-MM-dd}).");
        var completion = this with
        {
            EventId = eventId, ProgramId = programId, Learner = learner,
            Team = PlainText.Optional(errors, "team", Team, 200),
            Cohort = PlainText.Optional(errors, "cohort", Cohort, 200),
            JobSite = PlainText.Optional(errors, "jobSite", JobSite, 200),
        };
        errors.ThrowIfAny();
        return completion;
    }

    /// <summary>
    /// What a receipt keeps of the completion once its credential is purged: the event, the program
    /// and the date, which name nobody. The learner, score and placement go; the empty learner and
    /// the zero score only fill the shape, and nothing reads them (<see cref="CompletionReceipt.RemovedAt"/>).
    /// </summary>
    public LmsCompletion WithoutLearner() => new(EventId, new LmsLearner("", "", ""), ProgramId, 0, CompletedAt);
}

/// <summary>
/// The durable record of one completion event, written before the credential (and, for a pass,
/// first kept as the holding's pending pass): it holds everything needed to build the credential
/// again, so a crash between any two writes heals on the LMS's retry or in the daily reconciliation.
/// </summary>
/// <param name="RenewsCycle">For <see cref="CompletionAction.Renewed"/>: the cycle the pass renews, so a retry renews it once.</param>
public sealed record CompletionReceipt(
    LmsCompletion Completion,
    int ProgramVersion,
    AssessmentOutcome Outcome,
    string? CertificateId,
    DateTimeOffset ReceivedAt,
    CompletionAction Action = CompletionAction.None,
    int? RenewsCycle = null)
{
    /// <summary>Who recorded the completion and why, when not the LMS's webhook; null for the LMS (and for every receipt written before origins were kept).</summary>
    public CompletionOrigin? Origin { get; init; }

    /// <summary>
    /// When the credential the receipt names was purged under its program's retention policy; null
    /// while it stands. A removed receipt names nobody, so it can build nothing: a delivery of its
    /// event again answers what the event did, and issues nothing.
    /// </summary>
    public DateTimeOffset? RemovedAt { get; init; }

    /// <summary>The receipt stripped of its learner (<see cref="LmsCompletion.WithoutLearner"/>) and its origin, kept for what the event did.</summary>
    public CompletionReceipt Removed(DateTimeOffset at) => this with { Completion = Completion.WithoutLearner(), Origin = null, RemovedAt = at };
}

/// <summary>Who the audit trail names as issuing (or renewing) and why: a bulk issuance run and the program manager who started it.</summary>
public sealed record CompletionOrigin(string Actor, string Reason);

/// <summary>What a completion did to the learner's credentials.</summary>
public enum CompletionAction
{
    /// <summary>Not a pass: recorded only.</summary>
    None,
    /// <summary>A first pass: a new credential.</summary>
    Issued,
    /// <summary>A pass by a holder whose credential is open for renewal: the retake-exam pathway renews it.</summary>
    Renewed,
    /// <summary>A pass by a holder whose credential is not open for renewal (too early, or the program does not renew by retake), or while another pass of theirs is being issued or renewed: nothing changes.</summary>
    AlreadyHeld,
}

/// <summary>What the LMS is told; the same event always gets the same answer, and once its credential is purged, when that was.</summary>
public sealed record CompletionResult(string EventId, string ProgramId, int ProgramVersion, AssessmentOutcome Outcome, CompletionAction Action, string? CertificateId)
{
    /// <summary>When the credential this event issued, renewed or found held was purged under its program's retention policy; nothing is issued again.</summary>
    public DateTimeOffset? RemovedAt { get; init; }

    public static CompletionResult From(CompletionReceipt r) => new(r.Completion.EventId, r.Completion.ProgramId, r.ProgramVersion, r.Outcome, r.Action, r.CertificateId) { RemovedAt = r.RemovedAt };
}

/// <summary>A request names something that does not exist (HTTP 422): the request is well-formed, its reference is not.</summary>
public sealed class UnknownReferenceException(string field, string message) : DomainException(message)
{
    public string Field { get; } = field;
}
