using CredentialFunctions.App.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

public sealed record HealthStatus(string Status);

public sealed class HealthFunction
{
    [Function("Health")]
    [Anonymous]
    [Answers(StatusCodes.Status200OK, typeof(HealthStatus))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
        => new JsonResponse(new HealthStatus("healthy"));
}
