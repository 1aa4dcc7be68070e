using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Applications;

/// <summary>What a candidate submits: the program, the eligibility pathway, and the name and address the credential and its emails will carry.</summary>
public sealed record ApplicationSubmission(string ProgramId, string PathwayId, string FullLegalName, string Email);

/// <summary>A payment a program manager records that was made outside the provider (an invoice, an employer's purchase order).</summary>
public sealed record ManualPayment(long AmountMinorUnits, string Currency, string Reference, DateTimeOffset PaidAt);

/// <summary>An exam result: a program manager's entry, or the exam provider's signed webhook (whose event id makes redelivery harmless).</summary>
public sealed record ExamResultEntry(decimal Score, DateTimeOffset TakenAt, string? ResultId = null);

/// <summary>What the exam provider's signed webhook reports: its own id of the result (a redelivery changes nothing), the application, the score and when the exam was taken.</summary>
public sealed record ExamProviderResult(string ResultId, string ApplicationId, decimal Score, DateTimeOffset TakenAt);

/// <summary>
/// The application use cases: candidates submit, add documents, answer, withdraw and follow their
/// own applications; reviewers (program managers, administrators) decide, record payments made
/// outside the provider and enter results. Each change is one ETag-guarded write of the
/// application, its history entry and any event or notice it owes together, which are sent right
/// after (and by the repair timer when that send fails). A pass issues through
/// <see cref="IssuanceService"/>, so one credential per learner and program holds here as for the LMS.
/// </summary>
public sealed class ApplicationService(
    IApplicationStore store, VersionedUpdater<CertificationApplication> updater, IProgramStore programs, IPaymentProvider payments,
    EventPublisher<CertificationApplication> events, IIdSource ids, TimeProvider clock)
{
    public const int PageSize = 50;

    public async Task<CertificationApplication> SubmitAsync(ApplicationSubmission submission, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Subject is not { } subject || !caller.Roles.Contains(Role.Learner))
            throw new AccessDeniedException("Applications are made by candidates, signed in as learners.");
        if (caller.LearnerId is not { } learnerId || IssuanceService.LmsExternalIdOf(learnerId) is null)
            throw new AccessDeniedException("Your sign-in carries no learner id (the learner_id claim) that a credential could be issued to; ask an administrator to link your account.");
        var errors = new ValidationErrors();
        var programId = PlainText.Required(errors, "programId", submission.ProgramId, 100);
        var pathwayId = PlainText.Required(errors, "pathwayId", submission.PathwayId, 50);
        errors.ThrowIfAny();
        var program = await programs.GetCurrentAsync(programId, cancellationToken)
            ?? throw new UnknownReferenceException("programId", $"There is no program '{programId}'.");
        var submitted = CertificationApplication.Submit(ids.NewId("app-"), program, pathwayId,
            new Candidate(subject, learnerId, submission.FullLegalName, submission.Email), clock.GetUtcNow()).Application;
        if (!await store.TryCreateAsync(submitted, cancellationToken))
            throw new ConcurrencyConflictException($"Application id {submitted.ApplicationId} is taken; submit again.");
        return submitted;
    }

    public async Task<CertificationApplication> GetAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        var application = await ReadAsync(applicationId, cancellationToken);
        if (IsCandidate(caller, application)) return application;
        if (!caller.IsStaff) throw new AccessDeniedException("Candidates may read only their own applications.");
        if (caller.Roles.Contains(Role.Auditor)) return application;
        return await ReviewableAsync(caller, application, cancellationToken);
    }

    public Task<Page<CertificationApplication>> ListMineAsync(Caller caller, string? continuationToken, CancellationToken cancellationToken)
        => caller.Subject is { } subject
            ? store.ByCandidateAsync(subject, continuationToken, PageSize, cancellationToken)
            : throw new AccessDeniedException("Only a signed-in person has applications of their own.");

    /// <summary>
    /// The applications a reviewer reviews: an administrator's are all of them, a program manager's
    /// those of the programs they manage, so a page may hold fewer than it could.
    /// </summary>
    public async Task<Page<CertificationApplication>> ListForReviewAsync(string? programId, ApplicationStatus? status, string? continuationToken, Caller caller, CancellationToken cancellationToken)
    {
        var page = await store.ForReviewAsync(programId, status, continuationToken, PageSize, cancellationToken);
        if (caller.Roles.Contains(Role.Administrator)) return page;
        var managed = new Dictionary<string, bool>(StringComparer.Ordinal);
        var kept = new List<CertificationApplication>(page.Items.Count);
        foreach (var application in page.Items)
        {
            if (!managed.TryGetValue(application.ProgramId, out var reviews))
                managed[application.ProgramId] = reviews = await ReviewsAsync(caller, application.ProgramId, cancellationToken);
            if (reviews) kept.Add(application);
        }
        return page with { Items = kept };
    }

    public async Task<CertificationApplication> StartReviewAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
        => await ReviewedChangeAsync(applicationId, caller, a => a.StartReview(clock.GetUtcNow(), caller.AuditName), cancellationToken);

    public async Task<CertificationApplication> ApproveAsync(string applicationId, string? note, Caller caller, CancellationToken cancellationToken)
        => await ReviewedChangeAsync(applicationId, caller, a => a.Approve(clock.GetUtcNow(), caller.AuditName, note), cancellationToken);

    public async Task<CertificationApplication> RejectAsync(string applicationId, string reason, Caller caller, CancellationToken cancellationToken)
        => await ReviewedChangeAsync(applicationId, caller, a => a.Reject(clock.GetUtcNow(), caller.AuditName, reason), cancellationToken);

    public async Task<CertificationApplication> RequestInformationAsync(string applicationId, string question, Caller caller, CancellationToken cancellationToken)
        => await ReviewedChangeAsync(applicationId, caller, a => a.RequestInformation(clock.GetUtcNow(), caller.AuditName, question), cancellationToken);

    public Task<CertificationApplication> ResubmitAsync(string applicationId, string answer, Caller caller, CancellationToken cancellationToken)
        => ChangeAsync(applicationId, a => OwnedBy(caller, a).Resubmit(clock.GetUtcNow(), caller.AuditName, answer), cancellationToken);

    public Task<CertificationApplication> WithdrawAsync(string applicationId, string? reason, Caller caller, CancellationToken cancellationToken)
        => ChangeAsync(applicationId, a => OwnedBy(caller, a).Withdraw(clock.GetUtcNow(), caller.AuditName, reason), cancellationToken);

    public async Task<CertificationApplication> RecordManualPaymentAsync(string applicationId, ManualPayment payment, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var reference = PlainText.Required(errors, "reference", payment.Reference, 200);
        if (Money.Problem(payment.AmountMinorUnits, payment.Currency) is { } problem) errors.Add("amountMinorUnits", problem);
        if (ClockSkew.IsInTheFuture(payment.PaidAt, now)) errors.Add("paidAt", "A payment cannot be made in the future.");
        errors.ThrowIfAny();
        var record = new PaymentRecord("", PaymentKind.Succeeded, PaymentMethod.Manual, new Money(payment.AmountMinorUnits, payment.Currency), payment.PaidAt, now,
            caller.AuditName, null, null, null, reference);
        return await ReviewedChangeAsync(applicationId, caller, a => a.RecordPayment(record), cancellationToken);
    }

    /// <summary>The candidate's hosted payment page for the fee; the provider's webhook reports the payment.</summary>
    public async Task<CheckoutSession> StartCheckoutAsync(string applicationId, Uri returnUrl, Caller caller, CancellationToken cancellationToken)
    {
        var application = OwnedBy(caller, await ReadAsync(applicationId, cancellationToken));
        var fee = application.FeeDue(clock.GetUtcNow());
        return await payments.StartCheckoutAsync(new CheckoutRequest(applicationId, fee, application.Terms.ProgramName, application.Candidate.Email, returnUrl), cancellationToken);
    }

    /// <summary>
    /// Applies a provider's verified notice: a payment, a failed one or a refund, each with its
    /// event in the same write. The same provider event changes nothing the second time; a checkout
    /// still waiting for its money (a bank debit) changes nothing yet. Returns the application, or
    /// null for a notice nothing here acts on.
    /// </summary>
    public async Task<(CertificationApplication? Application, bool FirstDelivery)> ApplyPaymentNoticeAsync(PaymentNotice notice, Caller provider, CancellationToken cancellationToken)
    {
        if (notice.Kind == PaymentNoticeKind.Pending) return (null, true);
        var applicationId = notice.ApplicationId
            ?? (notice.ProviderPaymentId is { } paymentId ? (await store.ByProviderPaymentIdAsync(paymentId, cancellationToken))?.ApplicationId : null)
            ?? throw new UnknownReferenceException("providerPaymentId", $"No application records {notice.Provider} payment '{notice.ProviderPaymentId}'.");
        var firstDelivery = true;
        var record = new PaymentRecord("", notice.Kind switch
        {
            PaymentNoticeKind.Succeeded => PaymentKind.Succeeded,
            PaymentNoticeKind.Failed => PaymentKind.Failed,
            _ => PaymentKind.Refunded,
        }, PaymentMethod.Provider, notice.Amount, notice.OccurredAt, clock.GetUtcNow(), provider.AuditName, notice.Provider, notice.EventId, notice.ProviderPaymentId, null);
        var application = await ChangeAsync(applicationId, a =>
        {
            firstDelivery = !a.HasApplied(notice.EventId);
            return !firstDelivery ? null : record.Kind switch
            {
                PaymentKind.Succeeded => a.RecordPayment(record),
                PaymentKind.Failed => a.RecordPaymentFailure(record),
                _ => a.RecordRefund(record),
            };
        }, cancellationToken);
        return (application, firstDelivery);
    }

    internal async Task<CertificationApplication> ReadAsync(string applicationId, CancellationToken cancellationToken)
        => (await store.GetAsync(applicationId, cancellationToken))?.Value ?? throw new NotFoundException("Application", applicationId);

    /// <summary>
    /// The change in one write, then what the application owes sent. Also when the change had
    /// nothing to do (a redelivery): it may follow a crash between the first delivery's write and its send.
    /// </summary>
    internal async Task<CertificationApplication> ChangeAsync(string applicationId, Func<CertificationApplication, ApplicationChange?> change, CancellationToken cancellationToken)
    {
        var written = await updater.WriteAsync(applicationId, a => change(a)?.Application, cancellationToken);
        await events.TryPublishAsync(applicationId, written, cancellationToken);
        return written;
    }

    internal static bool IsCandidate(Caller caller, CertificationApplication application) => caller.Subject is { } s && s == application.Candidate.Subject;

    internal static bool IsReviewer(Caller caller) => caller.Roles.Contains(Role.ProgramManager) || caller.Roles.Contains(Role.Administrator);

    /// <summary>Administrators review every program; a program manager the programs that name them among their managers, or that name none.</summary>
    internal async Task<bool> ReviewsAsync(Caller caller, string programId, CancellationToken cancellationToken)
    {
        if (caller.Roles.Contains(Role.Administrator)) return true;
        if (!caller.Roles.Contains(Role.ProgramManager)) return false;
        return (await programs.GetCurrentAsync(programId, cancellationToken))?.Definition.IsManagedBy(caller.Subject) ?? true;
    }

    internal async Task<CertificationApplication> ReviewableAsync(Caller caller, CertificationApplication application, CancellationToken cancellationToken)
        => await ReviewsAsync(caller, application.ProgramId, cancellationToken)
            ? application
            : throw new AccessDeniedException($"Program '{application.ProgramId}' names its managers, and you are not one of them.");

    /// <summary>A reviewer's change: refused before anything is written when the caller does not review the application's program.</summary>
    private async Task<CertificationApplication> ReviewedChangeAsync(string applicationId, Caller caller, Func<CertificationApplication, ApplicationChange?> change, CancellationToken cancellationToken)
    {
        await ReviewableAsync(caller, await ReadAsync(applicationId, cancellationToken), cancellationToken);
        return await ChangeAsync(applicationId, change, cancellationToken);
    }

    internal static CertificationApplication OwnedBy(Caller caller, CertificationApplication application)
        => IsCandidate(caller, application) ? application : throw new AccessDeniedException("Only the candidate may do this to their application.");
}
