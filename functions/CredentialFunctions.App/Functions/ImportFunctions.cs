using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Imports;
using CredentialFunctions.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// A program's existing credentials, imported from a CSV of the certification body's previous records
/// (<see cref="ImportCsv"/> says the columns). <c>?fileName=</c> names the file for the audit trail;
/// <c>?dryRun=true</c> answers what would be imported and every row that would be refused, and writes
/// nothing; otherwise the rows are imported by a cohort run, whose status the answer's Location reads.
/// The [DurableClient] parameter binds the client the run is started with.
/// </summary>
public sealed class ImportFunctions(CredentialImport imports, CohortRuns runs)
{
    [Function("ImportCredentials")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(string), MediaTypes = [BulkIssuanceFunctions.Csv])]
    [Answers(StatusCodes.Status200OK, typeof(ImportReport))]
    [Answers(StatusCodes.Status202Accepted, typeof(CohortRunStatus))]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Import(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "programs/{programId}/imports")] HttpRequest request, string programId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var (fileName, dryRun) = Parameters(request);
        if (!string.Equals(RequestBody.MediaType(request), BulkIssuanceFunctions.Csv, StringComparison.OrdinalIgnoreCase))
            throw new RequestRejectedException(Problems.UnsupportedMediaType("Send the file as text/csv, with a header row naming its columns."));
        var file = ImportCsv.Read(fileName, await RequestBody.ReadBytesAsync(request, cancellationToken, BulkIssuanceFunctions.MaxBodyBytes), CohortIntake.MaxRows);
        if (dryRun) return new JsonResponse(await imports.DryRunAsync(programId, file, cancellationToken));
        var run = await imports.StartAsync(programId, file, request.Caller(), cancellationToken);
        return new JsonResponse(await runs.StatusAsync(programId, run.RunId, null, cancellationToken), StatusCodes.Status202Accepted)
            .WithHeader("Location", $"/api/programs/{programId}/imports/{run.RunId}");
    }

    private static (string FileName, bool DryRun) Parameters(HttpRequest request)
    {
        var errors = new ValidationErrors();
        var fileName = PlainText.Required(errors, "fileName", request.Query["fileName"].ToString(), 200);
        var dryRun = request.Query["dryRun"].ToString();
        if (dryRun is not ("" or "true" or "false")) errors.Add("dryRun", "true or false.");
        errors.ThrowIfAny();
        return (fileName, dryRun == "true");
    }
}

/// <summary>An import run's status: it reads the run's stored documents, so it needs no Durable client (the import's own route binds one to start the run).</summary>
public sealed class ImportRunFunctions(CohortRuns runs)
{
    [Function("GetImport")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(CohortRunStatus))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "programs/{programId}/imports/{runId}")] HttpRequest request, string programId, string runId,
        CancellationToken cancellationToken)
        => new JsonResponse(await runs.StatusAsync(programId, runId, request.Query["failures"].FirstOrDefault(), cancellationToken));
}
