using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Retention;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Retention;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>One page of standing legal holds; pass <see cref="ContinuationToken"/> back as ?continuationToken= for the next.</summary>
public sealed record LegalHoldList(IReadOnlyList<LegalHold> Holds, string? ContinuationToken);

/// <summary>One page of the purge log, the latest purge first; pass <see cref="ContinuationToken"/> back as ?continuationToken= for the next.</summary>
public sealed record PurgeLogPage(IReadOnlyList<PurgeLogEntry> Entries, string? ContinuationToken);

/// <summary>
/// Retention (spec C14): the daily sweep that purges what is past its program's retention, legal
/// holds that stop it (placed and lifted by an administrator, read by auditors too), and the purge
/// log for auditors.
/// </summary>
public sealed class RetentionFunctions(RetentionPurge purge, LegalHolds holds, IPurgeLog log)
{
    public const int PurgeLogPageSize = 100;

    [Function("PurgePastRetention")]
    public Task<RetentionReport> Purge([TimerTrigger("%Retention:PurgeSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => purge.RunAsync(cancellationToken);

    [Function("PlaceLegalHold")]
    [RequireRole(Role.Administrator)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status201Created, typeof(LegalHold))]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> Place(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "legal-holds/{subject}/{subjectId}")] HttpRequest request, string subject, string subjectId,
        CancellationToken cancellationToken)
    {
        var on = Subject(subject);
        var body = await RequestBody.ReadJsonAsync<ReasonRequest>(request, cancellationToken);
        return new JsonResponse(await holds.PlaceAsync(on, subjectId, body.Reason, request.Caller(), cancellationToken), StatusCodes.Status201Created);
    }

    [Function("LiftLegalHold")]
    [RequireRole(Role.Administrator)]
    [Accepts(typeof(ReasonRequest))]
    [Answers(StatusCodes.Status200OK, typeof(LegalHold))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> Lift(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "legal-holds/{subject}/{subjectId}/lift")] HttpRequest request, string subject, string subjectId,
        CancellationToken cancellationToken)
    {
        var on = Subject(subject);
        var body = await RequestBody.ReadJsonAsync<ReasonRequest>(request, cancellationToken);
        return new JsonResponse(await holds.LiftAsync(on, subjectId, body.Reason, request.Caller(), cancellationToken));
    }

    [Function("ListLegalHolds")]
    [RequireRole(Role.Administrator, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(LegalHoldList))]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "legal-holds")] HttpRequest request, CancellationToken cancellationToken)
    {
        var page = await holds.StandingAsync(ContinuationToken(request), cancellationToken);
        return new JsonResponse(new LegalHoldList(page.Items, page.ContinuationToken));
    }

    [Function("ReadPurgeLog")]
    [RequireRole(Role.Administrator, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(PurgeLogPage))]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> ReadLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "purge-log")] HttpRequest request, CancellationToken cancellationToken)
    {
        var page = await log.ListAsync(ContinuationToken(request), PurgeLogPageSize, cancellationToken);
        return new JsonResponse(new PurgeLogPage(page.Items, page.ContinuationToken));
    }

    private static HoldSubject Subject(string subject) => subject switch
    {
        "learners" => HoldSubject.Learner,
        "programs" => HoldSubject.Program,
        _ => throw ValidationFailedException.For("subject", "A legal hold is placed on learners/{learnerId} or programs/{programId}."),
    };

    private static string? ContinuationToken(HttpRequest request)
        => request.Query.TryGetValue("continuationToken", out var token) && !string.IsNullOrEmpty(token) ? token.ToString() : null;
}
