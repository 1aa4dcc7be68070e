using System.Globalization;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

public sealed record GraceExtensionRequest(DateTimeOffset GraceEndsAt, string Reason);

public sealed record ReasonRequest(string Reason);

public sealed record NameCorrectionRequest(string LegalName, string Reason);

/// <summary>
/// What logging or reviewing a credit answers: the credit (its <c>number</c> is the id the review
/// routes take), this cycle's counted and pending totals, whether it just renewed, and the record.
/// </summary>
public sealed record CreditAnswer(bool Renewed, LoggedCredit Credit, decimal CreditsThisCycle, decimal CreditsPendingReview, decimal? RequiredCeCredits, Credential Credential)
{
    /// <summary>The totals are the record's current cycle: after a renewal, the new one, which starts from zero.</summary>
    public static CreditAnswer From(CreditOutcome outcome)
    {
        var cycle = outcome.Credential.CreditsThisCycle;
        return new(outcome.Renewed, outcome.Credit, cycle.Counted, cycle.PendingReview, outcome.Credential.Terms.RequiredCeCredits, outcome.Credential);
    }
}

/// <summary>
/// Changes to a credential after issue: a renewal by each pathway, credits, grace extension,
/// revocation, suspension and its lifting, the learner leaving, reinstatement. Each answers the updated record. The
/// [DurableClient] parameters are the binding through which the host hands each invocation the
/// client its renewal windows use (<see cref="DurableClientMiddleware"/>).
/// </summary>
public sealed class CredentialLifecycleFunctions(CredentialLifecycle lifecycle)
{
    [Function("RenewByExamResult")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ExamResult))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> ExamResult(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/renewals/exam-result")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => RenewAsync<ExamResult>(request, certificateId, cancellationToken);

    [Function("RenewByRefresherModule")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(RefresherModuleCompletion))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> RefresherModule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/renewals/refresher-module")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => RenewAsync<RefresherModuleCompletion>(request, certificateId, cancellationToken);

    [Function("RenewBySupervisorSignOff")]
    [RequireRole(Role.Supervisor)]
    [Accepts(typeof(SupervisorSignOff))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> SupervisorSignOff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/renewals/supervisor-sign-off")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => RenewAsync<SupervisorSignOff>(request, certificateId, cancellationToken);

    [Function("RenewByCredits")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Learner)]
    [Accepts(typeof(CreditsClaim))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> Credits(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/renewals/credits")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => RenewAsync<CreditsClaim>(request, certificateId, cancellationToken);

    [Function("LogCredit")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Learner)]
    [Accepts(typeof(CreditSubmission))]
    [Answers(StatusCodes.Status200OK, typeof(CreditAnswer))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> LogCredit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/credits")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var credit = await RequestBody.ReadJsonAsync<CreditSubmission>(request, cancellationToken);
        return new JsonResponse(CreditAnswer.From(await lifecycle.LogCreditAsync(certificateId, credit, request.Caller(), cancellationToken)));
    }

    [Function("ApproveCredit")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Answers(StatusCodes.Status200OK, typeof(CreditAnswer))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> ApproveCredit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/credits/{creditId}/approval")] HttpRequest request, string certificateId, string creditId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => new JsonResponse(CreditAnswer.From(await lifecycle.ApproveCreditAsync(certificateId, CreditNumber(creditId), request.Caller(), cancellationToken)));

    [Function("RejectCredit")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(CreditAnswer))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> RejectCredit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/credits/{creditId}/rejection")] HttpRequest request, string certificateId, string creditId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var number = CreditNumber(creditId);
        var body = await RequestBody.ReadJsonAsync<ReasonRequest>(request, cancellationToken);
        return new JsonResponse(CreditAnswer.From(await lifecycle.RejectCreditAsync(certificateId, number, body.Reason, request.Caller(), cancellationToken)));
    }

    [Function("ExtendGrace")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(GraceExtensionRequest))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ExtendGrace(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/grace-extension")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<GraceExtensionRequest>(request, cancellationToken);
        return new JsonResponse(await lifecycle.ExtendGraceAsync(certificateId, body.GraceEndsAt, body.Reason, request.Caller(), cancellationToken));
    }

    [Function("RevokeCredential")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/revocation")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => WithReasonAsync(request, reason => lifecycle.RevokeAsync(certificateId, reason, request.Caller(), cancellationToken), cancellationToken);

    [Function("SuspendCredential")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> Suspend(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/suspension")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => WithReasonAsync(request, reason => lifecycle.SuspendAsync(certificateId, reason, request.Caller(), cancellationToken), cancellationToken);

    [Function("LiftSuspension")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> LiftSuspension(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/suspension-lift")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => WithReasonAsync(request, reason => lifecycle.LiftSuspensionAsync(certificateId, reason, request.Caller(), cancellationToken), cancellationToken);

    [Function("CorrectLegalName")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(NameCorrectionRequest))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> CorrectLegalName(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/name-corrections")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<NameCorrectionRequest>(request, cancellationToken);
        return new JsonResponse(await lifecycle.CorrectLegalNameAsync(certificateId, body.LegalName, body.Reason, request.Caller(), cancellationToken));
    }

    [Function("EndTracking")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> EndTracking(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/tracking-end")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => WithReasonAsync(request, reason => lifecycle.EndTrackingAsync(certificateId, reason, request.Caller(), cancellationToken), cancellationToken);

    [Function("ReinstateCredential")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> Reinstate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "credentials/{certificateId}/reinstatement")] HttpRequest request, string certificateId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => WithReasonAsync(request, reason => lifecycle.ReinstateAsync(certificateId, reason, request.Caller(), cancellationToken), cancellationToken);

    /// <summary>A credit's id is its number in the record's credit log, from 1.</summary>
    private static int CreditNumber(string creditId)
        => int.TryParse(creditId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new RequestRejectedException(Problems.Validation(new Dictionary<string, string[]> { ["creditId"] = ["A credit's id is its number in the credit log, a whole number from 1."] }));

    private static async Task<IActionResult> WithReasonAsync(HttpRequest request, Func<string, Task<Credential>> change, CancellationToken cancellationToken)
        => new JsonResponse(await change((await RequestBody.ReadJsonAsync<ReasonRequest>(request, cancellationToken)).Reason));

    private async Task<IActionResult> RenewAsync<TEvidence>(HttpRequest request, string certificateId, CancellationToken cancellationToken)
        where TEvidence : PathwayEvidence
    {
        var evidence = await RequestBody.ReadJsonAsync<TEvidence>(request, cancellationToken);
        return new JsonResponse(await lifecycle.RenewAsync(certificateId, evidence, request.Caller(), cancellationToken));
    }
}
