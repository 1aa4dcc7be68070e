using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Xapi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App.Functions;

/// <summary>
/// An LRS forwards xAPI statements (one, or an array); each passing one about a program's activity
/// issues as an LMS completion would. The [DurableClient] parameter binds the client issued
/// credentials' renewal windows are started with (<see cref="DurableClientMiddleware"/>).
/// </summary>
public sealed class XapiStatementFunctions(XapiForwarding forwarding)
{
    [Function("XapiStatements")]
    [LrsForward(IssuanceIntegrations.Xapi)]
    [Accepts(typeof(XapiStatement), typeof(IReadOnlyList<XapiStatement>))]
    [Answers(StatusCodes.Status200OK, typeof(XapiForwardResult))]
    public async Task<IActionResult> Statements(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/xapi/statements")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (XapiVersion.Negotiate(request.Headers[XapiVersion.Header]) is not { } version)
            return Problems.XapiVersion(request.Headers[XapiVersion.Header]).ToResponse().WithHeader(XapiVersion.Header, XapiVersion.Latest2);
        var body = await RequestBody.ReadJsonAsync<JsonNode>(request, cancellationToken);
        XapiStatement[] statements = body switch
        {
            JsonArray array => array.Deserialize<XapiStatement[]>(CredentialJson.Options)!,
            JsonObject => [body.Deserialize<XapiStatement>(CredentialJson.Options)!],
            _ => throw new RequestRejectedException(Problems.Validation(new Dictionary<string, string[]> { ["body"] = ["A statement (an object) or an array of statements."] })),
        };
        return new JsonResponse(await forwarding.ForwardAsync(statements, cancellationToken)).WithHeader(XapiVersion.Header, version);
    }
}
