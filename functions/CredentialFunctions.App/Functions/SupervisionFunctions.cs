using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Learners;
using CredentialFunctions.Domain.Learners;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <param name="SupervisorId">The subject of the supervisor's token (their Entra object id).</param>
public sealed record SupervisorAssignmentRequest(string SupervisorId);

/// <summary>Who supervises a learner: assigned by a program manager or administrator, read by them and auditors.</summary>
public sealed class SupervisionFunctions(SupervisionService supervision)
{
    [Function("AssignSupervisor")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(SupervisorAssignmentRequest))]
    [Answers(StatusCodes.Status200OK, typeof(LearnerSupervisors))]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Assign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "learners/{learnerId}/supervisors")] HttpRequest request, string learnerId, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<SupervisorAssignmentRequest>(request, cancellationToken);
        return new JsonResponse(await supervision.AssignAsync(learnerId, body.SupervisorId, request.Caller(), cancellationToken));
    }

    [Function("UnassignSupervisor")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Answers(StatusCodes.Status200OK, typeof(LearnerSupervisors))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Unassign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "learners/{learnerId}/supervisors/{supervisorId}")] HttpRequest request, string learnerId, string supervisorId,
        CancellationToken cancellationToken)
        => new JsonResponse(await supervision.UnassignAsync(learnerId, supervisorId, request.Caller(), cancellationToken));

    [Function("ListSupervisors")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(LearnerSupervisors))]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "learners/{learnerId}/supervisors")] HttpRequest request, string learnerId, CancellationToken cancellationToken)
        => new JsonResponse(await supervision.GetAsync(learnerId, cancellationToken));
}
