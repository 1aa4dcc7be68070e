using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
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
/// nothing. The [DurableClient] parameter binds the client the renewal windows are started with.
/// </summary>
public sealed class ImportFunctions(CredentialImport imports)
{
    private const string Csv = "text/csv";

    [Function("ImportCredentials")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(string), ContentType = Csv)]
    [Answers(StatusCodes.Status200OK, typeof(ImportReport))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> Import(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "programs/{programId}/imports")] HttpRequest request, string programId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var (fileName, dryRun) = Parameters(request);
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, Csv, StringComparison.OrdinalIgnoreCase)) throw new RequestRejectedException(Problems.UnsupportedMediaType(Csv));
        var file = ImportCsv.Read(fileName, await RequestBody.ReadBytesAsync(request, cancellationToken), CredentialImport.MaxRows);
        return new JsonResponse(await imports.ImportAsync(programId, file, request.Caller(), dryRun, cancellationToken));
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
