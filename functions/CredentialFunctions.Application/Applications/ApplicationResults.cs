using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Applications;

/// <summary>
/// Exam results on applications: apart from <see cref="ApplicationService"/> because a pass issues
/// through <see cref="IssuanceService"/>, which needs the invocation's Durable client, and only
/// the result route binds one.
/// </summary>
public sealed class ApplicationResults(ApplicationService applications, IssuanceService issuance, IIdSource ids, TimeProvider clock)
{
    /// <summary>The exam provider's integration, as its signed webhook calls and the application's history name it.</summary>
    public const string ExamProviderIntegration = "exams";

    /// <summary>
    /// The exam provider's signed report of a sitting: the same path as a program manager's entry,
    /// recorded as the exam provider. An application it names that does not exist is an unknown
    /// reference in the body, not a missing resource at the URL.
    /// </summary>
    public async Task<(CertificationApplication Application, bool FirstDelivery)> RecordExamProviderResultAsync(ExamProviderResult result, Caller provider, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var resultId = PlainText.Required(errors, "resultId", result.ResultId, 200);
        var applicationId = PlainText.Required(errors, "applicationId", result.ApplicationId, 100);
        errors.ThrowIfAny();
        try
        {
            return await RecordAsync(applicationId, new ExamResultEntry(result.Score, result.TakenAt, resultId), provider, cancellationToken);
        }
        catch (NotFoundException e) when (e.What == "Application")
        {
            throw new UnknownReferenceException("applicationId", $"There is no application '{applicationId}'; check the id the exam provider was given.");
        }
    }

    /// <inheritdoc cref="RecordAsync"/>
    public async Task<CertificationApplication> RecordResultAsync(string applicationId, ExamResultEntry result, Caller caller, CancellationToken cancellationToken)
        => (await RecordAsync(applicationId, result, caller, cancellationToken)).Application;

    /// <summary>
    /// Closes an attempt. A pass is issued first through the issuance path, keyed by the
    /// application and the result, then recorded on the application: a retry after a crash between
    /// the two finds the same issuance and records it once. A result already recorded answers as it
    /// was, and says it was not the first delivery.
    /// </summary>
    private async Task<(CertificationApplication Application, bool FirstDelivery)> RecordAsync(string applicationId, ExamResultEntry result, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var resultId = result.ResultId is null ? ids.NewId("res-") : PlainText.Required(errors, "resultId", result.ResultId, 200);
        errors.ThrowIfAny();
        var application = await applications.ReadAsync(applicationId, cancellationToken);
        if (caller.Subject is not null) await applications.ReviewableAsync(caller, application, cancellationToken);
        if (application.AttemptWith(resultId) is not null) return (application, false);
        string? certificateId = null;
        if (application.Assess(result.Score, result.TakenAt, now) == AssessmentOutcome.Passed)
        {
            var c = application.Candidate;
            var completion = new LmsCompletion($"application:{applicationId}:{resultId}",
                new LmsLearner(IssuanceService.LmsExternalIdOf(c.LearnerId)!, c.FullLegalName, c.Email), application.ProgramId, result.Score, result.TakenAt);
            // The credential's audit trail names who reported the result (the exam provider, or the program manager), not the LMS.
            var origin = new CompletionOrigin(caller.AuditName, $"Exam result {resultId} of application {applicationId}");
            var (issued, _) = await issuance.RecordCompletionAsync(completion, origin, cancellationToken);
            certificateId = issued.CertificateId
                ?? throw new InvalidTransitionException($"Program '{application.ProgramId}' as it stands now does not count a score of {result.Score} as a pass; the application's terms did. Ask an administrator.");
        }
        var first = true;
        var recorded = await applications.ChangeAsync(applicationId, a =>
        {
            // A concurrent delivery of the same result recorded it first.
            first = a.AttemptWith(resultId) is null;
            return first ? a.RecordResult(resultId, result.Score, result.TakenAt, now, caller.AuditName, certificateId) : null;
        }, cancellationToken);
        return (recorded, first);
    }
}
