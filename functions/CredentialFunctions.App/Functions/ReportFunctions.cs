using CredentialFunctions.Domain.Reports;
using CredentialFunctions.App.Http;
using CredentialFunctions.App.Reports;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Reports;
using CredentialFunctions.Application.Search;
using CredentialFunctions.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>Compliance reports from the maintained counts, in four forms, the learners behind each number, and the check of a printed report's digest.</summary>
public sealed class ReportFunctions(ComplianceReports reports)
{
    [Function("GetComplianceReport")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(ComplianceReport))]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "text/csv")]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "text/html")]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "application/pdf")]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Compliance(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/compliance")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (filters, format) = ComplianceQuery.Parse(request.Query);
        var report = await reports.IssueAsync(filters, request.Caller(), ComplianceQuery.Parameters(request.Query), cancellationToken);
        var file = $"compliance-{filters.GroupBy.Name()}-{report.IssuedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
        // Counts move with the clock: never serve a cached report.
        return format switch
        {
            ReportFormat.Csv => new BytesResponse(System.Text.Encoding.UTF8.GetBytes(ComplianceReportCsv.Write(report)), "text/csv; charset=utf-8")
                .WithHeader("Content-Disposition", $"attachment; filename=\"{file}.csv\"").WithHeader("Cache-Control", "private, no-store"),
            ReportFormat.Html => new TextResponse(ComplianceReportHtml.Write(report), "text/html; charset=utf-8")
                .WithHeader("Content-Security-Policy", ComplianceReportHtml.ContentSecurityPolicy).WithHeader("Cache-Control", "private, no-store"),
            ReportFormat.Pdf => new BytesResponse(ComplianceReportPdf.Write(report), "application/pdf")
                .WithHeader("Content-Disposition", $"attachment; filename=\"{file}.pdf\"").WithHeader("Cache-Control", "private, no-store"),
            _ => new JsonResponse(report).WithHeader("Cache-Control", "private, no-store"),
        };
    }

    [Function("ComplianceReportLearners")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(SearchPage))]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Learners(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/compliance/learners")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (drillDown, continuationToken) = ComplianceQuery.ParseDrillDown(request.Query);
        return new JsonResponse(await reports.LearnersAsync(drillDown, continuationToken, request.Caller(), ComplianceQuery.Parameters(request.Query), cancellationToken))
            .WithHeader("Cache-Control", "private, no-store");
    }

    [Function("CheckComplianceReportDigest")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(ComplianceReport))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> CheckDigest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/compliance/digests/{digest}")] HttpRequest request, string digest, CancellationToken cancellationToken)
        => new JsonResponse(await reports.IssuedAsync(digest, request.Caller(), cancellationToken)
            ?? throw new NotFoundException("Compliance report", digest));
}

/// <summary>The daily recount that proves the maintained compliance counts right and fixes any drift; its result (the drift found) is the invocation's logged output.</summary>
public sealed class ComplianceRecountFunctions(ComplianceRecount recount)
{
    [Function("RecountCompliance")]
    public Task<RecountReport> Recount([TimerTrigger("0 0 3 * * *")] TimerInfo timer, CancellationToken cancellationToken)
        => recount.RunAsync(cancellationToken);
}
