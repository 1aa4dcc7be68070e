using CredentialFunctions.App.Http;
using Microsoft.DurableTask.Client;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Applications;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Applications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

public sealed record ApprovalRequest(string? Note = null);

public sealed record InformationRequest(string Question);

public sealed record ResubmissionRequest(string Answer);

public sealed record WithdrawalRequest(string? Reason = null);

/// <summary>One page of applications; pass <see cref="ContinuationToken"/> back as ?continuationToken= for the next.</summary>
public sealed record ApplicationList(IReadOnlyList<CertificationApplication> Applications, string? ContinuationToken)
{
    public static ApplicationList From(Page<CertificationApplication> page) => new(page.Items, page.ContinuationToken);
}

/// <summary>
/// Applications for web front ends: candidates (learners) submit, answer, withdraw and follow their
/// own; reviewers (program managers, administrators) list, decide, record a payment made outside
/// the provider and enter exam results. Each answers the application as it now stands.
/// </summary>
public sealed class ApplicationFunctions(ApplicationService applications, CredentialLinks links)
{
    [Function("SubmitApplication")]
    [RequireRole(Role.Learner)]
    [Accepts(typeof(ApplicationSubmission))]
    [Answers(StatusCodes.Status201Created, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications")] HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<ApplicationSubmission>(request, cancellationToken);
        var submitted = await applications.SubmitAsync(body, request.Caller(), cancellationToken);
        return new JsonResponse(submitted, StatusCodes.Status201Created).WithHeader("Location", $"/api/applications/{submitted.ApplicationId}");
    }

    [Function("GetApplication")]
    [RequireRole(Role.Learner, Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
        => new JsonResponse(await applications.GetAsync(applicationId, request.Caller(), cancellationToken));

    [Function("ListMyApplications")]
    [RequireRole(Role.Learner)]
    [Answers(StatusCodes.Status200OK, typeof(ApplicationList))]
    public async Task<IActionResult> ListMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/applications")] HttpRequest request, CancellationToken cancellationToken)
        => new JsonResponse(ApplicationList.From(await applications.ListMineAsync(request.Caller(), ContinuationToken(request), cancellationToken)));

    [Function("ListApplicationsForReview")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Answers(StatusCodes.Status200OK, typeof(ApplicationList))]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> ListForReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications")] HttpRequest request, CancellationToken cancellationToken)
    {
        ApplicationStatus? status = null;
        if (request.Query.TryGetValue("status", out var s))
            status = Enum.TryParse<ApplicationStatus>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(s, out _)
                ? parsed
                : throw new RequestRejectedException(Problems.Validation(new Dictionary<string, string[]>
                {
                    ["status"] = [$"One of {string.Join(", ", Enum.GetNames<ApplicationStatus>().Select(n => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n)))}."],
                }));
        var programId = request.Query.TryGetValue("programId", out var p) && !string.IsNullOrWhiteSpace(p) ? p.ToString() : null;
        return new JsonResponse(ApplicationList.From(await applications.ListForReviewAsync(programId, status, ContinuationToken(request), request.Caller(), cancellationToken)));
    }

    [Function("StartApplicationReview")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> StartReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/review")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
        => new JsonResponse(await applications.StartReviewAsync(applicationId, request.Caller(), cancellationToken));

    [Function("ApproveApplication")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ApprovalRequest))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/approve")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<ApprovalRequest>(request, cancellationToken);
        return new JsonResponse(await applications.ApproveAsync(applicationId, body.Note, request.Caller(), cancellationToken));
    }

    [Function("RejectApplication")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Reject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/reject")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<ReasonRequest>(request, cancellationToken);
        return new JsonResponse(await applications.RejectAsync(applicationId, body.Reason, request.Caller(), cancellationToken));
    }

    [Function("RequestApplicationInformation")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(InformationRequest))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> RequestInformation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/information-requests")] HttpRequest request, string applicationId,
        CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<InformationRequest>(request, cancellationToken);
        return new JsonResponse(await applications.RequestInformationAsync(applicationId, body.Question, request.Caller(), cancellationToken));
    }

    [Function("ResubmitApplication")]
    [RequireRole(Role.Learner)]
    [Accepts(typeof(ResubmissionRequest))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Resubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/resubmit")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<ResubmissionRequest>(request, cancellationToken);
        return new JsonResponse(await applications.ResubmitAsync(applicationId, body.Answer, request.Caller(), cancellationToken));
    }

    [Function("WithdrawApplication")]
    [RequireRole(Role.Learner)]
    [Accepts(typeof(WithdrawalRequest))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Withdraw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/withdraw")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<WithdrawalRequest>(request, cancellationToken);
        return new JsonResponse(await applications.WithdrawAsync(applicationId, body.Reason, request.Caller(), cancellationToken));
    }

    /// <summary>The candidate's payment page for the fee; the provider brings them back to the application's page on the front end.</summary>
    [Function("StartApplicationCheckout")]
    [RequireRole(Role.Learner)]
    [Answers(StatusCodes.Status200OK, typeof(CheckoutSession))]
    [Answers(StatusCodes.Status403Forbidden)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> StartCheckout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/checkout")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
    {
        return new JsonResponse(await applications.StartCheckoutAsync(applicationId, links.Application(applicationId), request.Caller(), cancellationToken));
    }

    [Function("RecordManualPayment")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ManualPayment))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> RecordManualPayment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/payments")] HttpRequest request, string applicationId, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<ManualPayment>(request, cancellationToken);
        return new JsonResponse(await applications.RecordManualPaymentAsync(applicationId, body, request.Caller(), cancellationToken));
    }

    private static string? ContinuationToken(HttpRequest request)
        => request.Query.TryGetValue("continuationToken", out var token) && !string.IsNullOrEmpty(token) ? token.ToString() : null;
}

/// <summary>A program manager enters an exam result; a pass issues the credential (the [DurableClient] binding starts its renewal window).</summary>
public sealed class ApplicationResultFunctions(ApplicationResults results)
{
    [Function("RecordApplicationResult")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ExamResultEntry))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationApplication))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> RecordResult(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/results")] HttpRequest request, string applicationId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<ExamResultEntry>(request, cancellationToken);
        return new JsonResponse(await results.RecordResultAsync(applicationId, body, request.Caller(), cancellationToken));
    }
}
