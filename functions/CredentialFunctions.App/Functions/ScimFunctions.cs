using System.Text.Json.Nodes;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Hr;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// HR's joiners, movers and leavers over SCIM 2.0 (RFC 7644): the Users of the learner directory
/// and the discovery documents, called by Entra ID's provisioning service (or any SCIM client).
/// Served under /api/scim/v2, as the Functions host puts one route prefix before every route. A
/// leaver ends their credentials' renewal windows, so every User route takes the [DurableClient]
/// binding through which the host hands the invocation the windows' client (<see cref="DurableClientMiddleware"/>).
/// </summary>
public sealed class ScimFunctions(HrProvisioning provisioning, ScimDocuments documents)
{
    private const string Users = "scim/v2/Users";

    [Function("ScimCreateUser")]
    [ScimProvisioning]
    [Accepts(typeof(JsonObject))]
    [Answers(StatusCodes.Status201Created, typeof(JsonObject), ContentType = ScimResponses.MediaType)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Users)] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var created = await provisioning.CreateAsync(await RequestBody.ReadJsonAsync<JsonObject>(request, cancellationToken), request.Caller(), cancellationToken);
        return UserAnswer(created, StatusCodes.Status201Created).WithHeader("Location", documents.LocationOf(created.Value.Id).ToString());
    }

    [Function("ScimListUsers")]
    [ScimProvisioning]
    [Answers(StatusCodes.Status200OK, typeof(ScimListResponse), ContentType = ScimResponses.MediaType)]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Users)] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var page = await provisioning.ListAsync(query["filter"].FirstOrDefault(), query["startIndex"].FirstOrDefault(), query["count"].FirstOrDefault(), cancellationToken);
        return ScimResponses.Ok(documents.List(page));
    }

    [Function("ScimGetUser")]
    [ScimProvisioning]
    [Answers(StatusCodes.Status200OK, typeof(JsonObject), ContentType = ScimResponses.MediaType)]
    [Answers(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Users + "/{id}")] HttpRequest request, string id,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => UserAnswer(await provisioning.GetAsync(id, cancellationToken));

    [Function("ScimReplaceUser")]
    [ScimProvisioning]
    [Accepts(typeof(JsonObject))]
    [Answers(StatusCodes.Status200OK, typeof(JsonObject), ContentType = ScimResponses.MediaType)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> Replace(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Users + "/{id}")] HttpRequest request, string id,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => UserAnswer(await provisioning.ReplaceAsync(id, await RequestBody.ReadJsonAsync<JsonObject>(request, cancellationToken), IfMatch(request), request.Caller(), cancellationToken));

    [Function("ScimPatchUser")]
    [ScimProvisioning]
    [Accepts(typeof(JsonObject))]
    [Answers(StatusCodes.Status200OK, typeof(JsonObject), ContentType = ScimResponses.MediaType)]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    [Answers(StatusCodes.Status412PreconditionFailed)]
    public async Task<IActionResult> Patch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = Users + "/{id}")] HttpRequest request, string id,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => UserAnswer(await provisioning.PatchAsync(id, await RequestBody.ReadJsonAsync<JsonObject>(request, cancellationToken), IfMatch(request), request.Caller(), cancellationToken));

    [Function("ScimDeleteUser")]
    [ScimProvisioning]
    [Answers(StatusCodes.Status204NoContent, typeof(void))]
    [Answers(StatusCodes.Status404NotFound)]
    [Answers(StatusCodes.Status409Conflict)]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Users + "/{id}")] HttpRequest request, string id,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await provisioning.DeleteAsync(id, request.Caller(), cancellationToken);
        return new StatusCodeResult(StatusCodes.Status204NoContent);
    }

    private JsonResponse UserAnswer(Application.Ports.Versioned<DirectoryUser> user, int status = StatusCodes.Status200OK)
        => ScimResponses.Ok(documents.User(user), status).WithHeader("ETag", ScimVersion.Of(user.ETag));

    private static string? IfMatch(HttpRequest request) => request.Headers.IfMatch.FirstOrDefault() is { Length: > 0 } v ? v : null;
}

/// <summary>The SCIM discovery documents (RFC 7644 §4): what this endpoint supports, its resource type and its schemas.</summary>
public sealed class ScimDiscoveryFunctions(ScimDocuments documents)
{
    [Function("ScimServiceProviderConfig")]
    [ScimProvisioning]
    [Answers(StatusCodes.Status200OK, typeof(JsonObject), ContentType = ScimResponses.MediaType)]
    public IActionResult ServiceProviderConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scim/v2/ServiceProviderConfig")] HttpRequest request)
        => ScimResponses.Ok(documents.ServiceProviderConfig());

    [Function("ScimResourceTypes")]
    [ScimProvisioning]
    [Answers(StatusCodes.Status200OK, typeof(ScimListResponse), ContentType = ScimResponses.MediaType)]
    public IActionResult ResourceTypes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scim/v2/ResourceTypes")] HttpRequest request)
        => ScimResponses.Ok(documents.ResourceTypes());

    [Function("ScimSchemas")]
    [ScimProvisioning]
    [Answers(StatusCodes.Status200OK, typeof(ScimListResponse), ContentType = ScimResponses.MediaType)]
    public IActionResult Schemas(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scim/v2/Schemas")] HttpRequest request)
        => ScimResponses.Ok(documents.Schemas());
}
