using System.Globalization;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Application.Verification;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>Search across every credential, a learner's whole history, the CSV export, and a credential's audit trail.</summary>
public sealed class CredentialSearchFunctions(CredentialSearchService search, CredentialRecords records)
{
    [Function("SearchCredentials")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor, Role.Learner)]
    [Answers(StatusCodes.Status200OK, typeof(SearchPage))]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "credentials")] HttpRequest request, CancellationToken cancellationToken)
        => new JsonResponse(await search.SearchAsync(Parameters(request), request.Caller(), cancellationToken)).WithHeader("Cache-Control", "private, no-store");

    [Function("ExportCredentials")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor, Role.Learner)]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "text/csv")]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Export(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "credentials/export")] HttpRequest request, CancellationToken cancellationToken)
    {
        var export = await search.ExportAsync(Parameters(request), request.Caller(), cancellationToken);
        return new CsvResponse(export, $"credentials-{export.At.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.csv");
    }

    [Function("LearnerCredentialHistory")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor, Role.Learner)]
    [Answers(StatusCodes.Status200OK, typeof(LearnerHistory))]
    public async Task<IActionResult> History(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "learners/{learnerId}/credentials")] HttpRequest request, string learnerId, CancellationToken cancellationToken)
        => new JsonResponse(await search.HistoryAsync(learnerId, request.Caller(), cancellationToken)).WithHeader("Cache-Control", "private, no-store");

    [Function("CredentialAuditTrail")]
    [RequireRole(Role.Administrator, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(AuditReport))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Audit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "credentials/{certificateId}/audit")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
        => new JsonResponse(await records.AuditAsync(certificateId, request.Caller(), cancellationToken)).WithHeader("Cache-Control", "private, no-store");

    private static Dictionary<string, string?> Parameters(HttpRequest request)
        => request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
}
