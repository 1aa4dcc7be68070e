using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using CredentialFunctions.Adapters.Email;
using CredentialFunctions.Application.Notifications;

namespace CredentialFunctions.Integration.Tests.Email;

/// <summary>The ACS Email REST contract (api-version 2023-03-31), against a transport that records each request and plays back answers.</summary>
public sealed class AcsEmailSenderTests
{
    private sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? OperationId, JsonElement Body);

    /// <summary>Answers requests in turn from <paramref name="answers"/>, repeating the last.</summary>
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public List<RecordedRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
            Requests.Add(new(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(),
                request.Headers.TryGetValues("Operation-Id", out var ids) ? ids.Single() : null, body));
            return answers[Math.Min(Requests.Count, answers.Length) - 1]();
        }
    }

    private sealed class FixedTokenCredential : TokenCredential
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

    private static readonly EmailOptions Options = new() { SenderAddress = "DoNotReply@abc.azurecomm.net", Acs = { Endpoint = "https://acs-test.unitedstates.communication.azure.com/" } };

    private static readonly EmailMessage Message = new("ada@example.org", "Ada Lovelace", "Your credential", "Plain words", "<p>Markup</p>", "7QXM-2K9D-RH4T-WZ5C/c1:reminder:P60D");

    private static HttpResponseMessage Accepted(string id) => Json(HttpStatusCode.Accepted, $$"""{"id":"{{id}}","status":"Running"}""");

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static (AcsEmailSender Sender, ScriptedHandler Handler, FixedTokenCredential Credential) Sender(int maxRetries = 3, params Func<HttpResponseMessage>[] answers)
    {
        var handler = new ScriptedHandler(answers);
        var credential = new FixedTokenCredential();
        var clientOptions = new AcsEmailClientOptions { Transport = new HttpClientTransport(handler) };
        // Our own back-off is made negligible, so any wait a test sees is the one the service asked for.
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(1);
        clientOptions.Retry.MaxRetries = maxRetries;
        return (new AcsEmailSender(Options, credential, clientOptions), handler, credential);
    }

    [Fact]
    public async Task Posts_the_documented_body_to_emails_send_with_a_bearer_token_for_Communication_Services()
    {
        var operationId = AcsEmailSender.OperationIdFor(Message.IdempotencyKey).ToString();
        var (sender, handler, credential) = Sender(answers: () => Accepted(operationId));

        var id = await sender.SendAsync(Message, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://acs-test.unitedstates.communication.azure.com/emails:send?api-version=2023-03-31", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer token-for-acs", request.Authorization);
        Assert.Equal(["https://communication.azure.com//.default"], credential.Scopes.Distinct());
        Assert.Equal(operationId, request.OperationId);
        Assert.Equal(operationId, id);
        Assert.Equal(
            """{"senderAddress":"DoNotReply@abc.azurecomm.net","recipients":{"to":[{"address":"ada@example.org","displayName":"Ada Lovelace"}]},"content":{"subject":"Your credential","plainText":"Plain words","html":"\u003Cp\u003EMarkup\u003C/p\u003E"},"userEngagementTrackingDisabled":true}""",
            request.Body.GetRawText());
    }

    [Fact]
    public void The_operation_id_is_a_GUID_that_is_the_same_for_every_attempt_at_one_message_and_differs_between_messages()
    {
        var first = AcsEmailSender.OperationIdFor("7QXM-2K9D-RH4T-WZ5C/c1:reminder:P60D");

        Assert.Equal(first, AcsEmailSender.OperationIdFor("7QXM-2K9D-RH4T-WZ5C/c1:reminder:P60D"));
        Assert.NotEqual(first, AcsEmailSender.OperationIdFor("7QXM-2K9D-RH4T-WZ5C/c1:reminder:P30D"));
        Assert.Equal(8, first.Version);
    }

    [Fact]
    public async Task A_429_is_retried_with_the_same_operation_id_after_the_Retry_After_the_service_asked_for()
    {
        var throttled = () =>
        {
            var response = Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests","message":"Slow down."}}""");
            response.Headers.Add("Retry-After", "1");
            return response;
        };
        var (sender, handler, _) = Sender(answers: [throttled, () => Accepted("op-1")]);

        var clock = Stopwatch.StartNew();
        var id = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal("op-1", id);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Single(handler.Requests.Select(r => r.OperationId).Distinct());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"Retried after {clock.Elapsed}, not the 1 s Retry-After asked for.");
    }

    [Fact]
    public async Task A_400_is_a_permanent_failure_that_names_the_services_error_and_is_not_retried()
    {
        var (sender, handler, _) = Sender(answers: () => Json(HttpStatusCode.BadRequest, """{"error":{"code":"InvalidRecipient","message":"The recipient address is not valid."}}"""));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.False(failure.IsTransient);
        Assert.Contains("400 InvalidRecipient: The recipient address is not valid.", failure.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_network_that_keeps_failing_is_a_transient_failure_once_the_retries_are_spent()
    {
        var (sender, handler, _) = Sender(maxRetries: 1, () => throw new HttpRequestException("Connection refused."));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.True(failure.IsTransient);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_service_that_stays_unavailable_is_a_transient_failure_once_the_retries_are_spent()
    {
        var (sender, handler, _) = Sender(maxRetries: 2, () => Json(HttpStatusCode.ServiceUnavailable, "{}"));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.True(failure.IsTransient);
        Assert.Equal(3, handler.Requests.Count);
    }
}
