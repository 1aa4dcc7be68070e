using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Programs;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Xapi;

/// <summary>What became of one statement of a forward.</summary>
public enum XapiStatementOutcome
{
    /// <summary>A pass that issued a credential.</summary>
    Issued,
    /// <summary>A holder's pass that renewed their credential by the retake-exam pathway.</summary>
    Renewed,
    /// <summary>A pass by someone who holds the program's credential and cannot renew yet: nothing changes.</summary>
    AlreadyHeld,
    /// <summary>A score under the pass threshold, or a failed verb: recorded as a fail.</summary>
    Failed,
    /// <summary>A practice or benchmark result: recorded, never credential-bearing.</summary>
    Recorded,
    /// <summary>Not a completion we act on (another verb, an object that is not an activity, no score where the program needs one).</summary>
    Ignored,
    /// <summary>No program is completed by the statement's activity.</summary>
    UnknownActivity,
    /// <summary>The actor names no learner we can issue to.</summary>
    UnknownLearner,
    /// <summary>A completion the issuance rules refuse (a future timestamp, a name too long): <c>errors</c> says why.</summary>
    Refused,
}

/// <summary>One statement's answer; <paramref name="Completion"/> is the issuance's own answer when the statement was recorded as a completion.</summary>
public sealed record XapiStatementResult(
    string Id, XapiStatementOutcome Outcome, string? Reason = null, CompletionResult? Completion = null, bool Replayed = false,
    IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>The answer to a forward: each statement's outcome, in the order sent.</summary>
public sealed record XapiForwardResult(IReadOnlyList<XapiStatementResult> Statements);

/// <summary>
/// The LMS's learners as xAPI names them. <paramref name="LmsHomePage"/> is the <c>account.homePage</c>
/// of the LMS whose account names are the learners' LMS external ids (those of the signed LMS webhook);
/// null when the LMS identifies learners by mailbox only.
/// </summary>
public sealed record XapiLearnerDirectory(string? LmsHomePage)
{
    /// <summary>Compared ignoring case and a trailing slash, the two ways LMSs are seen to spell their home page differently.</summary>
    public bool IsLmsAccount(XapiAccount account)
        => LmsHomePage is { Length: > 0 } home && account.HomePage is { } page && string.Equals(page.TrimEnd('/'), home.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Statements an LRS (or an LMS) forwards: each passing, completed or satisfied statement about an
/// activity a program names becomes an LMS completion (event id <c>xapi:{statement id}</c>) through
/// <see cref="IssuanceService.RecordLmsCompletionAsync"/>, so it issues, renews or records exactly as
/// the signed LMS webhook does, once per statement id. One statement's outcome never blocks another's.
/// </summary>
public sealed class XapiForwarding(IssuanceService issuance, ActivityClaims activities, ICredentialSearch credentials, XapiLearnerDirectory directory, TimeProvider clock)
{
    public const int MaxStatements = 100;
    public const string EventIdPrefix = "xapi:";

    public const string Passed = "http://adlnet.gov/expapi/verbs/passed";
    public const string Completed = "http://adlnet.gov/expapi/verbs/completed";
    public const string Failed = "http://adlnet.gov/expapi/verbs/failed";
    /// <summary>cmi5's: the LMS says the learner met a course's or block's moveOn criteria.</summary>
    public const string Satisfied = "https://w3id.org/xapi/adl/verbs/satisfied";

    private static readonly string[] Completing = [Passed, Completed, Satisfied];

    /// <summary>Refuses the whole forward when any statement is not a valid statement, before anything is written.</summary>
    public static void Validate(IReadOnlyList<XapiStatement> statements)
    {
        var errors = new ValidationErrors();
        if (statements.Count == 0) errors.Add("body", "Send a statement or an array of at least one.");
        if (statements.Count > MaxStatements) errors.Add("body", $"At most {MaxStatements} statements a request.");
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i] is null) errors.Add($"statements[{i}]", "A statement is an object.");
            else statements[i].Validate(errors, $"statements[{i}]");
        }
        errors.ThrowIfAny();
    }

    public async Task<XapiForwardResult> ForwardAsync(IReadOnlyList<XapiStatement> statements, CancellationToken cancellationToken)
    {
        Validate(statements);
        var results = new List<XapiStatementResult>(statements.Count);
        // In order, one at a time: a statement repeated within the forward then answers what its first copy did.
        foreach (var statement in statements) results.Add(await RecordAsync(statement, cancellationToken));
        return new XapiForwardResult(results);
    }

    private async Task<XapiStatementResult> RecordAsync(XapiStatement statement, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(statement.Id!).ToString("D");
        var eventId = EventIdPrefix + id;
        // A statement recorded before answers as it did then, whatever its program or the records say now.
        if (await issuance.ReplayAsync(eventId, cancellationToken) is { } earlier) return Answer(id, (earlier, false));

        var verb = statement.Verb!.Id!;
        if (!Completing.Contains(verb) && verb != Failed)
            return new(id, XapiStatementOutcome.Ignored, $"The verb {verb} does not complete a program; only {string.Join(", ", Completing)} and {Failed} are read.");
        if (!statement.Object!.IsActivity)
            return new(id, XapiStatementOutcome.Ignored, "The object is not an activity.");
        var activity = statement.Object.Id!;
        if (await activities.ProgramCompletedByAsync(activity, cancellationToken) is not { } program)
            return new(id, XapiStatementOutcome.UnknownActivity, $"No program names the activity {activity} among its xapiActivities.");

        var score = statement.Result?.Score?.Percent();
        if (score is null && (program.Definition.PassThreshold > 0 || !program.IssuesCredentials))
            return new(id, XapiStatementOutcome.Ignored, $"The statement has no score to compare with the program's pass threshold of {program.Definition.PassThreshold}.");
        // A completion program (threshold 0) is completed without a score: none was measured and none is needed.
        score ??= 0;
        if (verb == Failed && program.Assess(score.Value) == AssessmentOutcome.Passed)
            return new(id, XapiStatementOutcome.Ignored, $"The LMS judged this a fail, though {score} meets the program's pass threshold; a failed statement never issues.");

        var (learner, unknown) = await LearnerAsync(statement.Actor!, cancellationToken);
        if (learner is null) return new(id, XapiStatementOutcome.UnknownLearner, unknown);

        var completion = new LmsCompletion(eventId, learner, program.ProgramId, score.Value, statement.Timestamp ?? statement.Stored ?? clock.GetUtcNow());
        try
        {
            return Answer(id, await issuance.RecordLmsCompletionAsync(completion, cancellationToken));
        }
        catch (ValidationFailedException refused)
        {
            return new(id, XapiStatementOutcome.Refused, "The completion breaks an issuance rule; see errors.", Errors: refused.Errors);
        }
    }

    private static XapiStatementResult Answer(string id, (CompletionResult Result, bool FirstDelivery) recorded)
    {
        var (result, first) = recorded;
        var outcome = result.Action switch
        {
            CompletionAction.Issued => XapiStatementOutcome.Issued,
            CompletionAction.Renewed => XapiStatementOutcome.Renewed,
            CompletionAction.AlreadyHeld => XapiStatementOutcome.AlreadyHeld,
            _ => result.Outcome == AssessmentOutcome.Failed ? XapiStatementOutcome.Failed : XapiStatementOutcome.Recorded,
        };
        return new(id, outcome, Completion: result, Replayed: !first);
    }

    /// <summary>
    /// The learner behind an actor. A credential is sent to a mailbox and names its holder, so the
    /// actor must give a name and lead to an email address: an <c>mbox</c> is the address itself (and
    /// a learner already on record with it keeps their LMS id); an account of the LMS is the LMS id,
    /// whose address comes from the learner's latest credential.
    /// </summary>
    private async Task<(LmsLearner? Learner, string? Unknown)> LearnerAsync(XapiActor actor, CancellationToken cancellationToken)
    {
        if (actor.IsGroup) return (null, "A group is not a learner: send a statement per member.");
        if (string.IsNullOrWhiteSpace(actor.Name)) return (null, "The actor has no name; a credential carries the learner's full legal name (actor.name).");
        if (actor.Mbox is { } mbox)
        {
            var email = mbox["mailto:".Length..];
            var onRecord = await LatestCredentialAsync(new CredentialFilter(Email: SearchText.Fold(email)), cancellationToken);
            return (new LmsLearner(onRecord?.Holder.LmsId ?? email, actor.Name, email), null);
        }
        if (actor.Account is { } account && directory.IsLmsAccount(account))
        {
            var onRecord = await LatestCredentialAsync(new CredentialFilter(LearnerId: IssuanceService.LearnerIdFor(account.Name!)), cancellationToken);
            return onRecord is null
                ? (null, $"The LMS account {account.Name} has no email address on record yet; identify the actor by mbox, or issue their first credential through the LMS webhook.")
                : (new LmsLearner(account.Name!, actor.Name, onRecord.Holder.Email), null);
        }
        return (null, actor.Account is not null
            ? $"The account's homePage is not the LMS's ({(directory.LmsHomePage is { Length: > 0 } home ? home : "none is configured")})."
            : "The actor is known only by mbox_sha1sum or openid, which name no mailbox to send the credential to.");
    }

    private async Task<Domain.Credentials.Credential?> LatestCredentialAsync(CredentialFilter filter, CancellationToken cancellationToken)
        => (await credentials.SearchAsync(new CredentialQuery(filter, SearchSort.Default, 1), clock.GetUtcNow(), null, cancellationToken)).Items.FirstOrDefault();
}
