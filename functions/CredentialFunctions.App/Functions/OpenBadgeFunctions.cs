using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Badges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// A credential's signed Open Badges 3.0 VC. Anonymous, like verification: the holder shares it
/// (a wallet, a profile), and it says no more than the verification page (the email only hashed),
/// under the same per-client rate limit.
/// </summary>
public sealed class OpenBadgeFunctions(OpenBadges badges)
{
    [Function("GetOpenBadge")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "application/vc+jwt")]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "credentials/{certificateId}/badge")] HttpRequest request, string certificateId, CancellationToken cancellationToken)
        // Built from the record on each request: a renewal or a correction shows at once.
        => new TextResponse(await badges.SignedCredentialAsync(certificateId, cancellationToken), "application/vc+jwt").WithHeader("Cache-Control", "no-store");
}
