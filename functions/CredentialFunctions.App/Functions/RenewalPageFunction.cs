using CredentialFunctions.App.Http;
using CredentialFunctions.App.Pages;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Application.Verification;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// The renewal page the reminders link to. Anonymous like verification: the link arrives by email
/// and the certificate id in it (75 random bits) is what admits, so the page shows nothing more
/// personal than the verification page, and acting on a pathway happens where its link leads.
/// </summary>
public sealed class RenewalPageFunction(PrintedCredentials printed, CredentialLinks links)
{
    [Function("RenewalPage")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "text/html")]
    [Answers(StatusCodes.Status400BadRequest, ContentType = "text/html")]
    [Answers(StatusCodes.Status404NotFound, ContentType = "text/html")]
    public Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "renew/{certificateId}")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
        => HtmlPage.OrRefusalAsync(async () => RenewalPage.Render(await printed.ReadAsync(certificateId, cancellationToken), links));
}
