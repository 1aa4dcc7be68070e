using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using CredentialFunctions.Application.Notifications;

namespace CredentialFunctions.Adapters.Email;

/// <summary>
/// Azure Communication Services Email over its REST API (Email_Send, api-version 2023-03-31),
/// through an Azure.Core pipeline: Entra ID bearer tokens from the app's identity, and retries on
/// 408, 429 and 5xx that wait as long as the service's Retry-After asks.
///
/// A 202 means ACS has queued the message; its operation id is returned as the message id and the
/// send is not polled to completion. Polling would hold the caller (a durable activity) for up to
/// minutes only to learn that ACS handed the message on, which is not delivery either: delivery
/// reports arrive later through Event Grid, keyed by the same operation id.
/// </summary>
public sealed class AcsEmailSender(EmailOptions options, TokenCredential credential, AcsEmailClientOptions? clientOptions = null) : IEmailSender
{
    public const string ApiVersion = "2023-03-31";
    private const string Scope = "https://communication.azure.com//.default";

    private readonly HttpPipeline _pipeline = HttpPipelineBuilder.Build(
        clientOptions ?? new AcsEmailClientOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));

    private readonly string _endpoint = options.Acs.Endpoint.TrimEnd('/');

    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var operationId = OperationIdFor(message.IdempotencyKey).ToString();
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri($"{_endpoint}/emails:send?api-version={ApiVersion}"));
        // Every attempt at one notification carries the same operation id, so retries here and
        // re-runs of the activity are one operation in ACS's logs and delivery reports. (The GA
        // API has no repeatability-request-id headers; those belonged to the 2021 previews.)
        request.Headers.Add("Operation-Id", operationId);
        request.Headers.Add(HttpHeader.Common.JsonContentType);
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new
        {
            senderAddress = options.SenderAddress,
            recipients = new { to = new[] { new { address = message.ToAddress, displayName = message.ToName } } },
            content = new { subject = message.Subject, plainText = message.TextBody, html = message.HtmlBody },
            userEngagementTrackingDisabled = true, // infra/ turns tracking off; say so per message too
        }));

        using var response = await SendAsync(request, cancellationToken);
        if (response.Status == 202) return IdFrom(response) ?? operationId;
        throw new EmailDeliveryException(
            $"Azure Communication Services refused the email ({response.Status} {AzureRestErrors.Describe(response)}).",
            isTransient: IsTransient(response));
    }

    /// <summary>
    /// Email_GetSendResult for the operation id every attempt at this message carries. NotStarted,
    /// Running and Succeeded mean ACS took the message; Failed, Canceled or no such operation (404)
    /// mean it did not go out, so sending it again is right.
    /// </summary>
    public async Task<string?> FindSentAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var operationId = OperationIdFor(idempotencyKey).ToString();
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Get;
        request.Uri.Reset(new Uri($"{_endpoint}/emails/operations/{operationId}?api-version={ApiVersion}"));
        using var response = await SendAsync(request, cancellationToken);
        if (response.Status == 404) return null;
        if (response.Status == 200) return StatusFrom(response) is "NotStarted" or "Running" or "Succeeded" ? IdFrom(response) ?? operationId : null;
        throw new EmailDeliveryException(
            $"Azure Communication Services could not say whether operation {operationId} went out ({response.Status} {AzureRestErrors.Describe(response)}).",
            isTransient: IsTransient(response));
    }

    private async Task<Response> SendAsync(Request request, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.SendRequestAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or AuthenticationFailedException)
        {
            // The network failed and the pipeline's retries are spent (it throws the failures of
            // every try together), or no token could be had (e.g. a role assignment still
            // propagating): both may pass.
            throw new EmailDeliveryException($"Could not reach Azure Communication Services at {options.Acs.Endpoint}: {e.Message}", isTransient: true, e);
        }
    }

    /// <summary>
    /// Throttling, timeouts and outages pass; so may 401 and 403 in a fresh deployment, while the
    /// identity's role assignment propagates (minutes): a wrong one is given up with the attempts.
    /// Every other refusal (400 for a bad address or body, 404, 413) is final.
    /// </summary>
    private static bool IsTransient(Response response) => response.Status is 401 or 403 or 408 or 429 or >= 500;

    /// <summary>ACS wants a GUID: an RFC 9562 version 8 one from the key's SHA-256 is the same for every attempt.</summary>
    public static Guid OperationIdFor(string idempotencyKey)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: a custom (here hash-based) layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    private static string? IdFrom(Response response) => PropertyFrom(response, "id");

    private static string? StatusFrom(Response response) => PropertyFrom(response, "status");

    private static string? PropertyFrom(Response response, string name)
    {
        try
        {
            using var body = JsonDocument.Parse(response.Content);
            return body.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The pipeline's settings: a few exponential retries, each waiting at least what Retry-After asks.</summary>
public sealed class AcsEmailClientOptions : ClientOptions
{
    public AcsEmailClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromSeconds(1);
        Retry.MaxDelay = TimeSpan.FromSeconds(30);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        Diagnostics.LoggedHeaderNames.Add("Operation-Id");
    }
}
