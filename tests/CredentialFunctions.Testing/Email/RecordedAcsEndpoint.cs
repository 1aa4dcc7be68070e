using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using CredentialFunctions.Adapters.Email;

namespace CredentialFunctions.Testing.Email;

/// <summary>
/// Azure Communication Services Email as its REST API answers (api-version 2023-03-31): a transport
/// that records each request and plays back answers in the recorded shapes.
/// </summary>
public sealed class RecordedAcsEndpoint(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
{
    public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? OperationId, JsonElement? Body);

    public static readonly EmailOptions Options = new() { SenderAddress = "DoNotReply@abc.azurecomm.net", Acs = { Endpoint = "https://acs-test.unitedstates.communication.azure.com/" } };

    public List<RecordedRequest> Requests { get; } = [];

    public IEnumerable<RecordedRequest> Sends => Requests.Where(r => r.Method == HttpMethod.Post);

    /// <summary>The adapter over this endpoint, with its own back-off made negligible so any wait a test sees is the one the service asked for.</summary>
    public AcsEmailSender Sender(FixedTokenCredential? credential = null, int maxRetries = 3)
    {
        var clientOptions = new AcsEmailClientOptions { Transport = new HttpClientTransport(this) };
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(1);
        clientOptions.Retry.MaxRetries = maxRetries;
        return new AcsEmailSender(Options, credential ?? new FixedTokenCredential(), clientOptions);
    }

    /// <summary>Email_Send accepted the message: 202 with the operation.</summary>
    public static HttpResponseMessage Accepted(string id) => Json(HttpStatusCode.Accepted, $$"""{"id":"{{id}}","status":"Running"}""");

    /// <summary>Email_GetSendResult: 200 with the operation's status (NotStarted, Running, Succeeded, Failed, Canceled).</summary>
    public static HttpResponseMessage Operation(string id, string status) => Json(HttpStatusCode.OK, $$"""{"id":"{{id}}","status":"{{status}}"}""");

    /// <summary>Email_GetSendResult for an operation ACS never saw.</summary>
    public static HttpResponseMessage NoSuchOperation() => Json(HttpStatusCode.NotFound, """{"error":{"code":"NotFound","message":"The requested resource was not found."}}""");

    public static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>The operation id in a request's path or header.</summary>
    public static string OperationIdOf(HttpRequestMessage request)
        => request.Method == HttpMethod.Get ? request.RequestUri!.Segments[^1] : request.Headers.GetValues("Operation-Id").Single();

    /// <summary>Answers requests in turn from the answers given, repeating the last.</summary>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        JsonElement? body = request.Content is null ? null : JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        Requests.Add(new(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("Operation-Id", out var ids) ? ids.Single() : null, body));
        return answers[Math.Min(Requests.Count, answers.Length) - 1](request);
    }
}

/// <summary>A token credential that hands out one token and keeps the scopes it was asked for.</summary>
public sealed class FixedTokenCredential : TokenCredential
{
    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.AddRange(requestContext.Scopes);
        return new AccessToken("token-for-acs", DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => new(GetToken(requestContext, cancellationToken));
}
