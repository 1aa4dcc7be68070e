using System.Globalization;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.StatusLists;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

/// <summary>The published status lists: what a verifier fetches from a badge's <c>credentialStatus</c> to learn whether it is revoked or suspended.</summary>
public sealed class StatusListFunctions(StatusListCredentials statusLists)
{
    [Function("GetStatusList")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = "application/vc+jwt")]
    [Answers(StatusCodes.Status400BadRequest)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/{purpose}/{list}")] HttpRequest request, string purpose, string list, CancellationToken cancellationToken)
        // One list answers for 131,072 credentials: caches and verifiers share it for its lifetime instead of asking per credential.
        => new TextResponse(await statusLists.SignedAsync(purpose, list, cancellationToken), "application/vc+jwt")
            .WithHeader("Cache-Control", $"public, max-age={((int)StatusListCredentials.CacheLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture)}");
}
