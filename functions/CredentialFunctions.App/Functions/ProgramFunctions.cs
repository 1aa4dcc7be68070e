using System.Globalization;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Programs;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Retention;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>The renewal rules of a program as the API takes them; anything left out takes the seeds' defaults.</summary>
public sealed record RenewalRequest(
    IsoDuration? Validity = null,
    IReadOnlyList<IsoDuration>? ReminderOffsets = null,
    IsoDuration? RenewalWindow = null,
    IsoDuration? GracePeriod = null,
    IsoDuration? LapseFollowUp = null,
    IReadOnlyList<RenewalPathway>? Pathways = null,
    decimal? RequiredCeCredits = null,
    IsoDuration? MaxGraceExtension = null,
    CreditAttestation? CreditAttestation = null,
    IReadOnlyList<RenewalPathwayLink>? PathwayLinks = null);

/// <summary>A program's retake policy as the API takes it; anything left out takes <see cref="RetakePolicy.Default"/>'s value.</summary>
public sealed record RetakeRequest(int? AttemptsAllowed = null, IsoDuration? Period = null, IsoDuration? WaitingPeriod = null)
{
    public RetakePolicy ToPolicy() => new(
        AttemptsAllowed ?? RetakePolicy.Default.AttemptsAllowed, Period ?? RetakePolicy.Default.Period, WaitingPeriod ?? RetakePolicy.Default.WaitingPeriod);
}

public sealed record ProgramRequest(
    string Name,
    CredentialKind Kind,
    string IssuingOrganization,
    decimal PassThreshold,
    string? Brand = null,
    RenewalRequest? Renewal = null,
    IReadOnlyList<CeuCredit>? CreditsAwarded = null,
    string? ContentVersion = null,
    string? RegulatoryModule = null,
    CertificateTemplate? CertificateTemplate = null,
    IReadOnlyList<EligibilityPathway>? EligibilityPathways = null,
    Money? Fee = null,
    RetakeRequest? Retake = null,
    RetentionPolicy? Retention = null,
    IReadOnlyList<string>? XapiActivities = null,
    IReadOnlyList<string>? Managers = null)
{
    public ProgramDefinition ToDefinition()
    {
        var r = Renewal ?? new RenewalRequest();
        return new ProgramDefinition(Name, Kind, IssuingOrganization, Brand, PassThreshold,
            new RenewalTerms(
                r.Validity,
                r.ReminderOffsets ?? RenewalTerms.DefaultReminderOffsets,
                r.RenewalWindow ?? RenewalTerms.DefaultRenewalWindow,
                r.GracePeriod ?? RenewalTerms.DefaultGracePeriod,
                r.LapseFollowUp ?? RenewalTerms.DefaultLapseFollowUp,
                r.Pathways ?? [RenewalPathway.RetakeExam],
                r.RequiredCeCredits)
                {
                    MaxGraceExtension = r.MaxGraceExtension ?? RenewalTerms.DefaultMaxGraceExtension,
                    CreditAttestation = r.CreditAttestation ?? CreditAttestation.ReviewRequired,
                    PathwayLinks = r.PathwayLinks ?? [],
                },
            CreditsAwarded ?? [], ContentVersion, RegulatoryModule)
        {
            CertificateTemplate = CertificateTemplate,
            EligibilityPathways = EligibilityPathways ?? [],
            Fee = Fee,
            Retake = (Retake ?? new RetakeRequest()).ToPolicy(),
            Retention = Retention,
            XapiActivities = XapiActivities ?? [],
            Managers = Managers ?? [],
        };
    }
}

/// <summary>Programs: create, read (current or a given version), revise with If-Match.</summary>
public sealed class ProgramFunctions(ProgramService programs)
{
    [Function("CreateProgram")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ProgramRequest))]
    [Answers(StatusCodes.Status201Created, typeof(CertificationProgram))]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "programs")] HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadJsonAsync<ProgramRequest>(request, cancellationToken);
        var program = await programs.CreateAsync(body.ToDefinition(), request.Caller(), cancellationToken);
        return Respond(program, StatusCodes.Status201Created).WithHeader("Location", $"/api/programs/{program.ProgramId}");
    }

    [Function("GetProgram")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor)]
    [Answers(StatusCodes.Status200OK, typeof(CertificationProgram))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "programs/{programId}")] HttpRequest request, string programId, CancellationToken cancellationToken)
    {
        int? version = null;
        if (request.Query.TryGetValue("version", out var v))
            version = int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new RequestRejectedException(Problems.Validation(new Dictionary<string, string[]> { ["version"] = ["A version is a whole number from 1."] }));
        return Respond(await programs.GetAsync(programId, version, cancellationToken));
    }

    [Function("ReviseProgram")]
    [RequireRole(Role.Administrator, Role.ProgramManager)]
    [Accepts(typeof(ProgramRequest))]
    [Answers(StatusCodes.Status200OK, typeof(CertificationProgram))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    [Answers(StatusCodes.Status428PreconditionRequired)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Revise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "programs/{programId}")] HttpRequest request, string programId, CancellationToken cancellationToken)
    {
        var expected = ExpectedVersion(request);
        var body = await RequestBody.ReadJsonAsync<ProgramRequest>(request, cancellationToken);
        return Respond(await programs.ReviseAsync(programId, body.ToDefinition(), expected, request.Caller(), cancellationToken));
    }

    private static JsonResponse Respond(CertificationProgram program, int status = StatusCodes.Status200OK)
        => new JsonResponse(program, status).WithHeader("ETag", ETagOf(program.Version));

    private static string ETagOf(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Revisions must say which version they edited, so two managers never overwrite each other.</summary>
    private static int ExpectedVersion(HttpRequest request)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(ifMatch))
            throw new RequestRejectedException(Problems.PreconditionRequired(
                "Send If-Match with the ETag of the program version you edited (from GET /api/programs/{id})."));
        return int.TryParse(ifMatch.Trim().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new RequestRejectedException(Problems.InvalidIfMatch("If-Match must be the ETag of a program version, e.g. \"3\"."));
    }
}
