using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Cohorts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>One learner of a cohort as the JSON body lists them (the CSV upload has the same columns, <see cref="CohortCsv.Columns"/>).</summary>
public sealed record CohortLearner(
    string ExternalId, string FullLegalName, string Email, DateTimeOffset CompletedAt, decimal Score, string? Team = null, string? Cohort = null, string? JobSite = null);

/// <summary>A cohort to issue to: up to <see cref="CohortIntake.MaxRows"/> learners who completed the program.</summary>
public sealed record CohortRequest(IReadOnlyList<CohortLearner> Learners)
{
    public IReadOnlyList<CohortRow> Rows() => [.. Learners.Select((l, i) => new CohortRow(i + 1, l.ExternalId, l.FullLegalName, l.Email, l.CompletedAt, l.Score, l.Team, l.Cohort, l.JobSite))];
}

/// <summary>
/// Bulk issuance of a cohort: the whole cohort is checked and stored, and a Durable orchestration
/// issues to it in batches. The [DurableClient] parameter binds the client the run is started with
/// (<see cref="DurableClientMiddleware"/>).
/// </summary>
public sealed class BulkIssuanceFunctions(CohortIntake intake, CohortRuns runs)
{
    /// <summary>A 100,000-learner cohort is some 15 MB of CSV; under Kestrel's 30 MB default, which the local host keeps.</summary>
    public const int MaxBodyBytes = 25 * 1024 * 1024;

    public const string Csv = "text/csv";

    [Function("StartBulkIssuance")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(CohortRequest), MediaTypes = ["application/json", Csv])]
    [Answers(StatusCodes.Status202Accepted, typeof(CohortRunStatus))]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "programs/{programId}/issuances")] HttpRequest request, string programId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var (rows, source) = await ReadCohortAsync(request, cancellationToken);
        var run = await intake.StartAsync(programId, CohortRunKind.Issuance, rows, source, request.Caller(), cancellationToken);
        return new JsonResponse(await runs.StatusAsync(programId, run.RunId, null, cancellationToken), StatusCodes.Status202Accepted)
            .WithHeader("Location", $"/api/programs/{programId}/issuances/{run.RunId}");
    }

    /// <summary>The file's name, when the upload says it (Content-Disposition), is what the run records as its source.</summary>
    private static async Task<(IReadOnlyList<CohortRow> Rows, string Source)> ReadCohortAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (RequestBody.IsJson(request))
            return ((await RequestBody.ReadJsonAsync<CohortRequest>(request, cancellationToken, MaxBodyBytes)).Rows(), "JSON body");
        if (!string.Equals(RequestBody.MediaType(request), Csv, StringComparison.OrdinalIgnoreCase))
            throw new RequestRejectedException(Problems.UnsupportedMediaType("Send the cohort as application/json ({\"learners\": [...]}) or as text/csv with a header row."));
        var bytes = await RequestBody.ReadBytesAsync(request, cancellationToken, MaxBodyBytes);
        var file = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition)
            ? disposition.FileNameStar.Value ?? disposition.FileName.Value?.Trim('"') : null;
        return (CohortCsv.Read(bytes), file is { Length: > 0 } ? $"CSV file {file}" : "CSV upload");
    }
}

/// <summary>A cohort run's status and its cancellation; neither needs the Durable client: both read and write the run's stored documents.</summary>
public sealed class CohortRunFunctions(CohortRuns runs)
{
    [Function("GetBulkIssuance")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(CohortRunStatus))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "programs/{programId}/issuances/{runId}")] HttpRequest request, string programId, string runId,
        CancellationToken cancellationToken)
        => new JsonResponse(await runs.StatusAsync(programId, runId, request.Query["failures"].FirstOrDefault(), cancellationToken));

    [Function("CancelBulkIssuance")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Answers(StatusCodes.Status202Accepted, typeof(CohortRunStatus))]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "programs/{programId}/issuances/{runId}/cancel")] HttpRequest request, string programId, string runId,
        CancellationToken cancellationToken)
        => new JsonResponse(await runs.CancelAsync(programId, runId, cancellationToken), StatusCodes.Status202Accepted)
            .WithHeader("Location", $"/api/programs/{programId}/issuances/{runId}");
}
