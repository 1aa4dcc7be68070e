using System.Globalization;
using System.Net.Mail;
using System.Text.Json.Nodes;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Applications;

/// <summary>
/// The person applying, as their token and their own words say: <see cref="Subject"/> is who may
/// follow the application, <see cref="LearnerId"/> the learner the credential will be issued to.
/// </summary>
public sealed record Candidate(string Subject, string LearnerId, string FullLegalName, string Email);

/// <summary>
/// The program's application rules as they stood when the candidate applied, copied onto the
/// application so a later revision of the program never changes an application in flight.
/// </summary>
public sealed record ApplicationTerms(
    string ProgramName, int ProgramVersion, bool IssuesCredential, decimal PassThreshold, Money? Fee, RetakePolicy Retake, EligibilityPathway Pathway)
{
    public static ApplicationTerms Of(CertificationProgram program, EligibilityPathway pathway) => new(
        program.Definition.Name, program.Version, program.IssuesCredentials, program.Definition.PassThreshold, program.Definition.Fee, program.Definition.Retake, pathway);
}

/// <summary>A document the candidate uploaded as evidence, by the digest of the bytes stored.</summary>
/// <param name="Requirement">The pathway's <see cref="RequiredDocument.Name"/> it answers, when the candidate said.</param>
public sealed record ApplicationDocument(string DocumentId, string? Requirement, string FileName, string Type, long Length, string Sha256, DateTimeOffset UploadedAt);

public enum PaymentKind { Succeeded, Failed, Refunded }

/// <summary>Through the payment provider's checkout, or recorded by a program manager (an invoice, an employer's purchase order).</summary>
public enum PaymentMethod { Provider, Manual }

/// <summary>One payment state change on the application, as finance reconciles it.</summary>
/// <param name="Amount">For a refund, the total the provider says is refunded so far.</param>
/// <param name="ProviderEventId">The provider's event that reported it: a second delivery of that event changes nothing.</param>
/// <param name="Reference">For a manual payment, the invoice or purchase order reference.</param>
public sealed record PaymentRecord(
    string PaymentId, PaymentKind Kind, PaymentMethod Method, Money Amount, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string RecordedBy,
    string? Provider, string? ProviderEventId, string? ProviderPaymentId, string? Reference);

/// <summary>One sitting of the exam and what it meant under the application's terms.</summary>
/// <param name="ResultId">The exam provider's event id, or one made for a result entered by hand: a second delivery of a result changes nothing.</param>
/// <param name="CertificateId">For a pass: the credential the issuance path issued, renewed or found already held.</param>
public sealed record ExamAttempt(int Number, string ResultId, decimal Score, AssessmentOutcome Outcome, DateTimeOffset TakenAt, DateTimeOffset RecordedAt, string RecordedBy, string? CertificateId);

/// <summary>One transition of the application: who, when, why, from which state to which.</summary>
public sealed record ApplicationHistoryEntry(
    int Sequence, DateTimeOffset At, string Actor, ApplicationAction Action, ApplicationStatus From, ApplicationStatus To, string? Reason,
    IReadOnlyDictionary<string, string> Details);

/// <summary>A state changed (or an event recorded) and its history entry, persisted together in one write.</summary>
public sealed record ApplicationChange(CertificationApplication Application, ApplicationHistoryEntry Entry);

/// <summary>
/// A candidate's application for one program and eligibility pathway (spec C2), from submission
/// through review, payment and exam attempts to the credential or the end of its attempts. Every
/// change goes through <see cref="ApplicationStateMachine"/>, so an action the state does not allow
/// is refused with the actions that are possible, and every change appends to <see cref="History"/>.
/// Payment changes add their integration event to <see cref="Outbox"/> in the same record.
/// </summary>
/// <param name="OpenQuestion">What the reviewer asked while the application waits for more information.</param>
/// <param name="RetakeFrom">After a failed attempt with attempts left: the earliest a retake may be taken.</param>
public sealed record CertificationApplication(
    string ApplicationId,
    string ProgramId,
    Candidate Candidate,
    ApplicationTerms Terms,
    ApplicationStatus Status,
    DateTimeOffset SubmittedAt,
    string? OpenQuestion,
    DateTimeOffset? RetakeFrom,
    string? CertificateId,
    IReadOnlyList<ApplicationDocument> Documents,
    IReadOnlyList<PaymentRecord> Payments,
    IReadOnlyList<ExamAttempt> Attempts,
    IReadOnlyList<ApplicationHistoryEntry> History,
    Outbox Outbox) : IOwesMessages<CertificationApplication>
{
    public const int MostDocuments = 50;
    public const int MostPayments = 50;

    public CertificationApplication WithOutbox(Outbox outbox) => this with { Outbox = outbox };

    /// <summary>A message sent is operational: the history records decisions, not deliveries.</summary>
    public CertificationApplication OutboxEntrySent(string key, string providerMessageId, DateTimeOffset at) => WithOutbox(Outbox.RecordSent(key, providerMessageId));

    /// <summary>The actions possible from here, for a client to offer and for a refusal to name.</summary>
    public IReadOnlyList<ApplicationAction> PossibleActions(DateTimeOffset now) => ApplicationStateMachine.Possible(this, now);

    public static ApplicationChange Submit(string applicationId, CertificationProgram program, string pathwayId, Candidate candidate, DateTimeOffset at)
    {
        var errors = new ValidationErrors();
        var pathway = program.Definition.Pathway(pathwayId ?? "");
        if (program.Definition.EligibilityPathways.Count == 0)
            errors.Add("programId", $"Program '{program.ProgramId}' takes no applications: it has no eligibility pathways.");
        else if (pathway is null)
            errors.Add("pathwayId", $"Program '{program.ProgramId}' has no eligibility pathway '{pathwayId}'; it has {string.Join(", ", program.Definition.EligibilityPathways.Select(p => p.PathwayId))}.");
        var validated = candidate with
        {
            FullLegalName = PlainText.Required(errors, "fullLegalName", candidate.FullLegalName, 300),
            Email = PlainText.Required(errors, "email", candidate.Email, 320),
        };
        if (!errors.Any && (!MailAddress.TryCreate(validated.Email, out var address) || address.Address != validated.Email))
            errors.Add("email", "A valid email address is required, e.g. ada@example.org.");
        errors.ThrowIfAny();
        var draft = new CertificationApplication(applicationId, program.ProgramId, validated, ApplicationTerms.Of(program, pathway!), ApplicationStatus.Submitted, at,
            null, null, null, [], [], [], [], Outbox.Empty);
        return draft.Change(ApplicationAction.Submit, ApplicationStatus.Submitted, at, $"user:{candidate.Subject}", null,
            new Dictionary<string, string> { ["pathwayId"] = pathway!.PathwayId, ["programVersion"] = Invariant(program.Version) });
    }

    public ApplicationChange StartReview(DateTimeOffset at, string by)
        => Transition(ApplicationAction.StartReview, at).Change(ApplicationAction.StartReview, ApplicationStatus.InReview, at, by, null);

    /// <summary>With a fee the candidate pays next; without one they may sit at once.</summary>
    public ApplicationChange Approve(DateTimeOffset at, string by, string? note)
        => Transition(ApplicationAction.Approve, at).Change(ApplicationAction.Approve, Terms.Fee is null ? ApplicationStatus.Eligible : ApplicationStatus.AwaitingPayment,
            at, by, Text("note", note, required: false));

    public ApplicationChange Reject(DateTimeOffset at, string by, string reason)
        => Transition(ApplicationAction.Reject, at).Change(ApplicationAction.Reject, ApplicationStatus.Rejected, at, by, Text("reason", reason, required: true));

    public ApplicationChange RequestInformation(DateTimeOffset at, string by, string question)
    {
        var asked = Text("question", question, required: true);
        return (Transition(ApplicationAction.RequestInformation, at) with { OpenQuestion = asked })
            .Change(ApplicationAction.RequestInformation, ApplicationStatus.MoreInformationRequested, at, by, asked);
    }

    /// <summary>The candidate answers the reviewer's question; the application goes back for review.</summary>
    public ApplicationChange Resubmit(DateTimeOffset at, string by, string answer)
    {
        var answered = Text("answer", answer, required: true);
        return (Transition(ApplicationAction.Resubmit, at) with { OpenQuestion = null })
            .Change(ApplicationAction.Resubmit, ApplicationStatus.Submitted, at, by, answered, new Dictionary<string, string> { ["question"] = OpenQuestion ?? "" });
    }

    public ApplicationChange Withdraw(DateTimeOffset at, string by, string? reason)
        => Transition(ApplicationAction.Withdraw, at).Change(ApplicationAction.Withdraw, ApplicationStatus.Withdrawn, at, by, Text("reason", reason, required: false));

    /// <summary>Refuses a document the application cannot take now, before its bytes are stored anywhere.</summary>
    public void CheckCanAttach(string? requirement, DateTimeOffset now)
    {
        Transition(ApplicationAction.AttachDocument, now);
        if (Documents.Count >= MostDocuments)
            throw new LimitReachedException("documents", MostDocuments, $"Application {ApplicationId} holds the most documents it may ({MostDocuments}).");
        if (requirement is not null && Terms.Pathway.Documents.All(d => d.Name != requirement))
            throw ValidationFailedException.For("requirement", $"The pathway asks for {string.Join(", ", Terms.Pathway.Documents.Select(d => $"'{d.Name}'"))}, not '{requirement}'.");
    }

    public ApplicationChange AttachDocument(ApplicationDocument document, string by)
    {
        CheckCanAttach(document.Requirement, document.UploadedAt);
        return (this with { Documents = [.. Documents, document] }).Change(ApplicationAction.AttachDocument, Status, document.UploadedAt, by, null,
            new Dictionary<string, string>
            {
                ["documentId"] = document.DocumentId, ["fileName"] = document.FileName, ["sha256"] = document.Sha256,
                ["length"] = Invariant(document.Length), ["requirement"] = document.Requirement ?? "",
            });
    }

    /// <summary>The fee to pay now; refuses when the application is not awaiting payment.</summary>
    public Money FeeDue(DateTimeOffset now)
    {
        Transition(ApplicationAction.RecordPayment, now);
        return Terms.Fee ?? throw new InvalidOperationException($"Application {ApplicationId} awaits payment without a fee.");
    }

    /// <summary>Whether the provider's event was already applied to this application (a redelivery).</summary>
    public bool HasApplied(string providerEventId) => Payments.Any(p => p.ProviderEventId == providerEventId);

    /// <summary>
    /// The fee is paid, through the provider or by invoice: the candidate may sit. The amount and
    /// currency must be the fee's exactly; a different one is refused and changes nothing.
    /// </summary>
    public ApplicationChange RecordPayment(PaymentRecord payment)
    {
        var current = Transition(ApplicationAction.RecordPayment, payment.RecordedAt);
        if (payment.Amount != Terms.Fee)
            throw ValidationFailedException.For("amount", $"The fee is {Terms.Fee}; {payment.Amount} does not match it.");
        return current.WithPayment(payment, ApplicationStatus.Eligible, EventTypes.PaymentSucceeded);
    }

    /// <summary>A payment attempt failed (a bank debit bounced, say): finance hears of it, the application still awaits payment.</summary>
    public ApplicationChange RecordPaymentFailure(PaymentRecord payment)
        => Transition(ApplicationAction.RecordPaymentFailure, payment.RecordedAt).WithPayment(payment, Status, EventTypes.PaymentFailed);

    /// <summary>
    /// The fee, or part of it, was refunded. While the candidate may still sit, a full refund takes
    /// that right back (they pay again to sit; attempts already made still count, as does the date of
    /// a retake). Once the application has ended (issued, completed, closed, withdrawn) or for a
    /// partial refund, finance records it and nothing else changes: a refund does not undo an exam
    /// sat, and a credential is revoked only by its own decision.
    /// </summary>
    public ApplicationChange RecordRefund(PaymentRecord refund)
    {
        var current = Transition(ApplicationAction.RecordRefund, refund.RecordedAt);
        if (Payments.All(p => p.Kind != PaymentKind.Succeeded)) throw new IllegalApplicationTransitionException(this, ApplicationAction.RecordRefund, refund.RecordedAt, $"Application {ApplicationId} has no payment to refund.");
        var paid = Payments.LastOrDefault(p => p.Kind == PaymentKind.Succeeded && (refund.ProviderPaymentId is null || p.ProviderPaymentId == refund.ProviderPaymentId))
            ?? throw ValidationFailedException.For("providerPaymentId", $"Application {ApplicationId} has no payment {refund.ProviderPaymentId} to refund.");
        if (refund.Amount.Currency != paid.Amount.Currency || refund.Amount.MinorUnits > paid.Amount.MinorUnits || refund.Amount.MinorUnits <= 0)
            throw ValidationFailedException.For("amount", $"A refund of {paid.Amount} is from 1 minor unit to the amount paid, in its currency; {refund.Amount} is not.");
        var full = refund.Amount.MinorUnits == paid.Amount.MinorUnits;
        var next = full && Status is ApplicationStatus.Eligible or ApplicationStatus.RetakeWaiting ? ApplicationStatus.AwaitingPayment : Status;
        return current.WithPayment(refund, next, EventTypes.PaymentRefunded);
    }

    /// <summary>Whether a result with this id was already recorded (the exam provider delivered it again).</summary>
    public ExamAttempt? AttemptWith(string resultId) => Attempts.FirstOrDefault(a => a.ResultId == resultId);

    /// <summary>What a result of this score would mean here; refuses one the state does not allow now.</summary>
    public AssessmentOutcome Assess(decimal score, DateTimeOffset takenAt, DateTimeOffset now)
    {
        Transition(ApplicationAction.RecordResult, now);
        var errors = new ValidationErrors();
        if (score is < 0 or > 100) errors.Add("score", "A score is a number from 0 to 100.");
        if (ClockSkew.IsInTheFuture(takenAt, now)) errors.Add("takenAt", "An exam cannot be taken in the future.");
        errors.ThrowIfAny();
        if (RetakeFrom is { } from && takenAt < from)
            throw new IllegalApplicationTransitionException(this, ApplicationAction.RecordResult, now,
                $"A retake may be taken from {from:O}; this one is dated {takenAt:O}.");
        if (!Terms.IssuesCredential) return AssessmentOutcome.Recorded;
        return score >= Terms.PassThreshold ? AssessmentOutcome.Passed : AssessmentOutcome.Failed;
    }

    /// <summary>
    /// An exam attempt closes: a pass is issued (the caller issued it through the issuance path and
    /// names the credential), a practice or benchmark result completes the application, a fail
    /// opens a retake after the waiting period, or closes the application once the attempts allowed
    /// within the retake period are spent.
    /// </summary>
    public ApplicationChange RecordResult(string resultId, decimal score, DateTimeOffset takenAt, DateTimeOffset now, string by, string? certificateId)
    {
        var outcome = Assess(score, takenAt, now);
        if (outcome == AssessmentOutcome.Passed && certificateId is null)
            throw new InvalidOperationException("A pass is recorded with the credential the issuance path issued for it.");
        var attempt = new ExamAttempt(Attempts.Count + 1, resultId, score, outcome, takenAt, now, by, outcome == AssessmentOutcome.Passed ? certificateId : null);
        var attempts = (IReadOnlyList<ExamAttempt>)[.. Attempts, attempt];
        var countingFrom = Terms.Retake.Period.SubtractFrom(takenAt);
        var (next, retakeFrom) = outcome switch
        {
            AssessmentOutcome.Passed => (ApplicationStatus.Issued, (DateTimeOffset?)null),
            AssessmentOutcome.Recorded => (ApplicationStatus.Completed, null),
            _ when attempts.Count(a => a.TakenAt > countingFrom) >= Terms.Retake.AttemptsAllowed => (ApplicationStatus.Closed, null),
            _ => (ApplicationStatus.RetakeWaiting, Terms.Retake.WaitingPeriod.AddTo(takenAt)),
        };
        var details = new Dictionary<string, string>
        {
            ["attempt"] = Invariant(attempt.Number), ["resultId"] = resultId, ["score"] = Invariant(score), ["outcome"] = outcome.ToString(),
        };
        if (attempt.CertificateId is { } issued) details["certificateId"] = issued;
        if (retakeFrom is { } from) details["retakeFrom"] = from.ToString("O", CultureInfo.InvariantCulture);
        return (this with { Attempts = attempts, RetakeFrom = retakeFrom, CertificateId = attempt.CertificateId ?? CertificateId })
            .Change(ApplicationAction.RecordResult, next, now, by, null, details);
    }

    /// <summary>The application as the state machine allows <paramref name="action"/> from here; throws listing what is possible when it does not.</summary>
    private CertificationApplication Transition(ApplicationAction action, DateTimeOffset now)
        => ApplicationStateMachine.Allows(Status, action) ? this : throw new IllegalApplicationTransitionException(this, action, now, null);

    private ApplicationChange WithPayment(PaymentRecord payment, ApplicationStatus next, string eventType)
    {
        if (Payments.Count >= MostPayments)
            throw new LimitReachedException("payments", MostPayments, $"Application {ApplicationId} holds the most payment records it may ({MostPayments}).");
        var recorded = payment with { PaymentId = $"{ApplicationId}-p{Payments.Count + 1}" };
        var change = (this with { Payments = [.. Payments, recorded] }).Change(
            payment.Kind switch { PaymentKind.Succeeded => ApplicationAction.RecordPayment, PaymentKind.Failed => ApplicationAction.RecordPaymentFailure, _ => ApplicationAction.RecordRefund },
            next, payment.RecordedAt, payment.RecordedBy, payment.Reference,
            new Dictionary<string, string>
            {
                ["paymentId"] = recorded.PaymentId, ["method"] = recorded.Method.ToString(), ["amount"] = Invariant(recorded.Amount.MinorUnits), ["currency"] = recorded.Amount.Currency,
                ["providerEventId"] = recorded.ProviderEventId ?? "", ["providerPaymentId"] = recorded.ProviderPaymentId ?? "",
            });
        var paymentEvent = PaymentEvent(change.Application, recorded, eventType);
        return change with { Application = change.Application with { Outbox = new Outbox([.. change.Application.Outbox.Entries, paymentEvent.ToOutboxEntry()]) } };
    }

    /// <summary>The event finance reads; its id is the payment record's, so re-applying the same change makes the same event.</summary>
    private static IntegrationEvent PaymentEvent(CertificationApplication a, PaymentRecord p, string type) => new(
        $"{p.PaymentId}.{p.Kind.ToString().ToLowerInvariant()}", type, $"applications/{a.ApplicationId}", p.RecordedAt,
        new JsonObject
        {
            ["applicationId"] = a.ApplicationId,
            ["paymentId"] = p.PaymentId,
            ["programId"] = a.ProgramId,
            ["programVersion"] = a.Terms.ProgramVersion,
            ["learnerId"] = a.Candidate.LearnerId,
            ["method"] = p.Method == PaymentMethod.Manual ? "manual" : "provider",
            ["provider"] = p.Provider,
            ["providerPaymentId"] = p.ProviderPaymentId,
            ["reference"] = p.Reference,
            ["amountMinorUnits"] = p.Amount.MinorUnits,
            ["currency"] = p.Amount.Currency,
            ["occurredAt"] = p.OccurredAt,
        });

    private ApplicationChange Change(ApplicationAction action, ApplicationStatus to, DateTimeOffset at, string actor, string? reason, IReadOnlyDictionary<string, string>? details = null)
    {
        if (string.IsNullOrWhiteSpace(actor)) throw new ArgumentException("Every change names who made it.", nameof(actor));
        var entry = new ApplicationHistoryEntry(History.Count + 1, at, actor, action, Status, to, reason, details ?? new Dictionary<string, string>());
        return new ApplicationChange(this with { Status = to, History = [.. History, entry] }, entry);
    }

    private static string? Text(string field, string? value, bool required)
    {
        var errors = new ValidationErrors();
        var text = required ? PlainText.Required(errors, field, value, 2000) : PlainText.Optional(errors, field, value, 2000);
        errors.ThrowIfAny();
        return text;
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
