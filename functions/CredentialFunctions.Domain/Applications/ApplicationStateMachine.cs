namespace CredentialFunctions.Domain.Applications;

/// <summary>Where an application stands (spec C2).</summary>
public enum ApplicationStatus
{
    Submitted,
    InReview,
    /// <summary>The reviewer asked a question; the candidate answers and resubmits.</summary>
    MoreInformationRequested,
    Rejected,
    /// <summary>Approved, with a fee to pay before the candidate may sit.</summary>
    AwaitingPayment,
    /// <summary>Approved (and paid, when there is a fee): the candidate may sit the exam.</summary>
    Eligible,
    /// <summary>An attempt failed; a retake is possible from <see cref="CertificationApplication.RetakeFrom"/>.</summary>
    RetakeWaiting,
    /// <summary>Passed, and the credential issued.</summary>
    Issued,
    /// <summary>A practice test or benchmark exam was sat: the result is kept, no credential follows (spec C1).</summary>
    Completed,
    /// <summary>The attempts allowed are spent: another try needs a new application.</summary>
    Closed,
    Withdrawn,
}

/// <summary>What can happen to an application, by whom the routes allow.</summary>
public enum ApplicationAction
{
    Submit,
    StartReview,
    Approve,
    Reject,
    RequestInformation,
    Resubmit,
    AttachDocument,
    Withdraw,
    RecordPayment,
    RecordPaymentFailure,
    RecordRefund,
    RecordResult,
}

/// <summary>
/// The one table of which action each state allows. <see cref="CertificationApplication"/> checks
/// every change against it, and the refusal lists what the table allows instead.
/// </summary>
public static class ApplicationStateMachine
{
    private static readonly IReadOnlyDictionary<ApplicationStatus, ApplicationAction[]> Allowed = new Dictionary<ApplicationStatus, ApplicationAction[]>
    {
        [ApplicationStatus.Submitted] = [ApplicationAction.StartReview, ApplicationAction.Approve, ApplicationAction.Reject, ApplicationAction.RequestInformation, ApplicationAction.AttachDocument, ApplicationAction.Withdraw],
        [ApplicationStatus.InReview] = [ApplicationAction.Approve, ApplicationAction.Reject, ApplicationAction.RequestInformation, ApplicationAction.AttachDocument, ApplicationAction.Withdraw],
        [ApplicationStatus.MoreInformationRequested] = [ApplicationAction.Resubmit, ApplicationAction.Reject, ApplicationAction.AttachDocument, ApplicationAction.Withdraw],
        [ApplicationStatus.Rejected] = [],
        [ApplicationStatus.AwaitingPayment] = [ApplicationAction.RecordPayment, ApplicationAction.RecordPaymentFailure, ApplicationAction.Withdraw],
        [ApplicationStatus.Eligible] = [ApplicationAction.RecordResult, ApplicationAction.RecordRefund, ApplicationAction.Withdraw],
        [ApplicationStatus.RetakeWaiting] = [ApplicationAction.RecordResult, ApplicationAction.RecordRefund, ApplicationAction.Withdraw],
        [ApplicationStatus.Issued] = [ApplicationAction.RecordRefund],
        [ApplicationStatus.Completed] = [ApplicationAction.RecordRefund],
        [ApplicationStatus.Closed] = [ApplicationAction.RecordRefund],
        [ApplicationStatus.Withdrawn] = [ApplicationAction.RecordRefund],
    };

    public static bool Allows(ApplicationStatus status, ApplicationAction action) => Allowed[status].Contains(action);

    /// <summary>
    /// What may be done now: the table's actions, less a retake before its date and a refund
    /// where nothing was paid (refusals a client would otherwise offer in vain).
    /// </summary>
    public static IReadOnlyList<ApplicationAction> Possible(CertificationApplication application, DateTimeOffset now)
        => [.. Allowed[application.Status].Where(a => a switch
        {
            ApplicationAction.RecordResult => application.RetakeFrom is not { } from || now >= from,
            ApplicationAction.RecordRefund => application.Payments.Any(p => p.Kind == PaymentKind.Succeeded),
            _ => true,
        })];
}

/// <summary>An action the application's state does not allow (HTTP 409); <see cref="Possible"/> says what it does allow.</summary>
public sealed class IllegalApplicationTransitionException(CertificationApplication application, ApplicationAction attempted, DateTimeOffset now, string? why)
    : DomainException(why ?? $"Application {application.ApplicationId} is {application.Status}: {attempted} is not possible from there.")
{
    public ApplicationStatus Status { get; } = application.Status;
    public ApplicationAction Attempted { get; } = attempted;
    public IReadOnlyList<ApplicationAction> Possible { get; } = application.PossibleActions(now);
}
