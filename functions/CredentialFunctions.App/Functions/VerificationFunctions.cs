using CredentialFunctions.App.Artifacts;
using CredentialFunctions.App.Http;
using CredentialFunctions.App.Pages;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Application.Retention;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>Public verification by id, link or QR (as JSON, or a page for a browser), its QR code, and the full record for those entitled to it.</summary>
public sealed class VerificationFunctions(VerificationService verification, RetainedVerification retained, PrintedCredentials printed, CredentialLinks links, CredentialRecords records)
{
    [Function("VerifyCredential")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(VerificationResult))]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "text/html")]
    [Answers(StatusCodes.Status400BadRequest, ContentType = "text/html")]
    [Answers(StatusCodes.Status404NotFound, ContentType = "text/html")]
    public async Task<IActionResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "verify/{certificateId}")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
        => HtmlPage.IsWanted(request)
            ? await HtmlPage.OrRefusalAsync(() => PageAsync(certificateId, cancellationToken))
            // A status can change any minute (grace, lapse, revocation): never serve it from a cache.
            : new JsonResponse(await retained.VerifyAsync(certificateId, cancellationToken)).WithHeader("Cache-Control", "no-store").WithHeader("Vary", "Accept");

    /// <summary>The page says what the JSON says: for a record anonymised under retention, that it existed and was removed, naming nobody.</summary>
    private async Task<IActionResult> PageAsync(string certificateId, CancellationToken cancellationToken)
    {
        try
        {
            return VerificationPage.Render(await printed.ReadAsync(certificateId, cancellationToken), links);
        }
        catch (NotFoundException)
        {
            if (await retained.RemovedAsync(certificateId, cancellationToken) is { } removed) return VerificationPage.Removed(removed);
            throw;
        }
    }

    [Function("CredentialQrCode")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "image/png")]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "image/svg+xml")]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> QrCode(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "verify/{certificateId}/qr")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
    {
        var svg = WantsSvg(request);
        // Only for a credential that exists: a code for any well-formed id would vouch for nothing.
        var verified = await verification.ReadAsync(certificateId, cancellationToken);
        var address = links.Verification(verified.CertificateId);
        // The address never changes for an id, so the image may be kept; a status change does not touch it.
        return svg
            ? new TextResponse(QrCodes.Svg(address), "image/svg+xml").WithHeader("Cache-Control", "public, max-age=86400").WithHeader("Vary", "Accept")
            : new BytesResponse(QrCodes.Png(address), "image/png").WithHeader("Cache-Control", "public, max-age=86400").WithHeader("Vary", "Accept");
    }

    [Function("CredentialCertificatePdf")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "application/pdf")]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Pdf(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "verify/{certificateId}/pdf")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
    {
        var (verified, template) = await printed.ReadAsync(certificateId, cancellationToken);
        // A certificate printed from an edited record would vouch for the edit.
        if (verified.Credential is not { } c) throw new InvalidTransitionException(verified.Problem!);
        return new BytesResponse(CertificatePdf.Render(c, template, links.Verification(c.CertificateId)), "application/pdf")
            .WithHeader("Content-Disposition", $"attachment; filename=\"certificate-{c.CertificateId}.pdf\"")
            .WithHeader("Cache-Control", "no-store");
    }

    /// <summary>?format=svg or png; without it, SVG when the Accept header prefers it, else PNG.</summary>
    private static bool WantsSvg(HttpRequest request)
    {
        var format = request.Query["format"].ToString();
        if (format.Length > 0)
            return format.ToLowerInvariant() switch
            {
                "svg" => true,
                "png" => false,
                _ => throw ValidationFailedException.For("format", "The QR code's format is svg or png."),
            };
        return AcceptHeader.Quality(request, "image/svg+xml") > AcceptHeader.Quality(request, "image/png");
    }

    [Function("GetCredential")]
    [RequireRole(Role.Administrator, Role.ProgramManager, Role.Auditor, Role.Learner)]
    [Answers(StatusCodes.Status200OK, typeof(Credential))]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "credentials/{certificateId}")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
    {
        var record = await records.GetAsync(certificateId, request.Caller(), cancellationToken);
        return new JsonResponse(record.Value).WithETag(record.ETag).WithHeader("Cache-Control", "private, no-store");
    }
}
