using System.Diagnostics;
using System.Net;
using CredentialFunctions.Adapters.Email;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Testing.Email;

namespace CredentialFunctions.Integration.Tests.Email;

/// <summary>The ACS Email REST contract (api-version 2023-03-31), against a transport that records each request and plays back answers.</summary>
public sealed class AcsEmailSenderTests
{
    private static readonly EmailMessage Message = new("ada@example.org", "Ada Lovelace", "Your credential", "Plain words", "<p>Markup</p>", "7QXM-2K9D-RH4T-WZ5C/c1:reminder:P60D");

    private static (AcsEmailSender Sender, RecordedAcsEndpoint Handler, FixedTokenCredential Credential) Sender(int maxRetries = 3, params Func<HttpResponseMessage>[] answers)
    {
        var handler = new RecordedAcsEndpoint([.. answers.Select(answer => (Func<HttpRequestMessage, HttpResponseMessage>)(_ => answer()))]);
        var credential = new FixedTokenCredential();
        return (handler.Sender(credential, maxRetries), handler, credential);
    }

    [Fact]
    public async Task Posts_the_documented_body_to_emails_send_with_a_bearer_token_for_Communication_Services()
    {
        var operationId = AcsEmailSender.OperationIdFor(Message.IdempotencyKey).ToString();
        var (sender, handler, credential) = Sender(answers: () => RecordedAcsEndpoint.Accepted(operationId));

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
            request.Body!.Value.GetRawText());
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
            var response = RecordedAcsEndpoint.Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests","message":"Slow down."}}""");
            response.Headers.Add("Retry-After", "1");
            return response;
        };
        var (sender, handler, _) = Sender(answers: [throttled, () => RecordedAcsEndpoint.Accepted("op-1")]);

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
        var (sender, handler, _) = Sender(answers: () => RecordedAcsEndpoint.Json(HttpStatusCode.BadRequest, """{"error":{"code":"InvalidRecipient","message":"The recipient address is not valid."}}"""));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.False(failure.IsTransient);
        Assert.Contains("400 InvalidRecipient: The recipient address is not valid.", failure.Message);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_refusal_of_the_apps_identity_is_transient_while_its_role_assignment_may_still_propagate(HttpStatusCode status)
    {
        var (sender, _, _) = Sender(answers: () => RecordedAcsEndpoint.Json(status, """{"error":{"code":"Denied","message":"The identity has no access."}}"""));
        Assert.True((await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Message, CancellationToken.None))).IsTransient);
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
        var (sender, handler, _) = Sender(maxRetries: 2, () => RecordedAcsEndpoint.Json(HttpStatusCode.ServiceUnavailable, "{}"));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.SendAsync(Message, CancellationToken.None));

        Assert.True(failure.IsTransient);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Theory]
    [InlineData("NotStarted")]
    [InlineData("Running")]
    [InlineData("Succeeded")]
    public async Task An_operation_ACS_took_is_found_sent_by_the_messages_operation_id(string status)
    {
        var operationId = AcsEmailSender.OperationIdFor(Message.IdempotencyKey).ToString();
        var (sender, handler, _) = Sender(answers: () => RecordedAcsEndpoint.Operation(operationId, status));

        Assert.Equal(operationId, await sender.FindSentAsync(Message.IdempotencyKey, CancellationToken.None));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal($"https://acs-test.unitedstates.communication.azure.com/emails/operations/{operationId}?api-version=2023-03-31", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer token-for-acs", request.Authorization);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Canceled")]
    public async Task An_operation_that_failed_or_was_canceled_is_not_sent(string status)
    {
        var (sender, _, _) = Sender(answers: () => RecordedAcsEndpoint.Operation("op-1", status));
        Assert.Null(await sender.FindSentAsync(Message.IdempotencyKey, CancellationToken.None));
    }

    [Fact]
    public async Task An_operation_ACS_never_saw_is_not_sent()
    {
        var (sender, _, _) = Sender(answers: RecordedAcsEndpoint.NoSuchOperation);
        Assert.Null(await sender.FindSentAsync(Message.IdempotencyKey, CancellationToken.None));
    }

    [Fact]
    public async Task A_status_ACS_cannot_give_now_is_a_transient_failure()
    {
        var (sender, _, _) = Sender(maxRetries: 0, () => RecordedAcsEndpoint.Json(HttpStatusCode.ServiceUnavailable, "{}"));
        Assert.True((await Assert.ThrowsAsync<EmailDeliveryException>(() => sender.FindSentAsync(Message.IdempotencyKey, CancellationToken.None))).IsTransient);
    }
}
