using CredentialFunctions.App.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

public sealed class HealthFunction
{
    [Function("Health")]
    [Anonymous]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
        => new JsonResponse(new { status = "healthy" });
}
