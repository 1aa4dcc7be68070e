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
    /// <summary>
    /// Closes an attempt. A pass is issued first through the issuance path, keyed by the
    /// application and the result, then recorded on the application: a retry after a crash between
    /// the two finds the same issuance and records it once. A result already recorded answers as it was.
    /// </summary>
    public async Task<CertificationApplication> RecordResultAsync(string applicationId, ExamResultEntry result, Caller caller, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var resultId = result.ResultId is null ? ids.NewId("res-") : PlainText.Required(errors, "resultId", result.ResultId, 200);
        errors.ThrowIfAny();
        var application = await applications.ReadAsync(applicationId, cancellationToken);
        if (application.AttemptWith(resultId) is not null) return application;
        string? certificateId = null;
        if (application.Assess(result.Score, result.TakenAt, now) == AssessmentOutcome.Passed)
        {
            var c = application.Candidate;
            var completion = new LmsCompletion($"application:{applicationId}:{resultId}",
                new LmsLearner(IssuanceService.LmsExternalIdOf(c.LearnerId)!, c.FullLegalName, c.Email), application.ProgramId, result.Score, result.TakenAt);
            var (issued, _) = await issuance.RecordLmsCompletionAsync(completion, cancellationToken);
            certificateId = issued.CertificateId
                ?? throw new InvalidTransitionException($"Program '{application.ProgramId}' as it stands now does not count a score of {result.Score} as a pass; the application's terms did. Ask an administrator.");
        }
        return await applications.ChangeAsync(applicationId,
            a => a.AttemptWith(resultId) is not null ? null : a.RecordResult(resultId, result.Score, result.TakenAt, now, caller.AuditName, certificateId), cancellationToken);
    }

}
