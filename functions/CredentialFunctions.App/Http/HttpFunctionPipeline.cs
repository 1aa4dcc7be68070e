using System.Reflection;
using CredentialFunctions.Adapters.Access;
using CredentialFunctions.Adapters.Webhooks;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Integrations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialFunctions.App.Http;

/// <summary>
/// What every HTTP function gets, in one place, whichever host runs it: admission by its access
/// attribute (role, webhook signature, or anonymous with a rate limit), then the function, then
/// failures turned into problem details. The Functions middleware and the local host both call this.
/// </summary>
public sealed class HttpFunctionPipeline(
    BearerTokenAuthenticator authenticator,
    IOptions<WebhookOptions> webhooks,
    RateLimits rateLimits,
    TimeProvider clock,
    ILogger<HttpFunctionPipeline> logger)
{
    public async Task<IActionResult> InvokeAsync(HttpContext context, MethodInfo function, Func<Task<IActionResult>> next)
    {
        try
        {
            var access = function.GetCustomAttribute<AccessAttribute>()
                ?? throw new InvalidOperationException($"HTTP function {function.DeclaringType?.Name}.{function.Name} declares no access attribute.");
            if (await AdmitAsync(context, access) is { } refusal) return refusal;
            return await next();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            var problem = Problems.FromException(exception);
            if (problem.Status >= 500) logger.LogError(exception, "HTTP function {Function} failed", function.Name);
            return (problem with { Instance = context.Request.Path.Value }).ToResponse();
        }
    }

    private async Task<JsonResponse?> AdmitAsync(HttpContext context, AccessAttribute access)
    {
        switch (access)
        {
            case AnonymousAttribute:
                return rateLimits.TryAcquireAnonymous(context) is { } retryAfter ? TooManyRequests(retryAfter) : null;

            case RequireRoleAttribute required:
                var outcome = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization);
                if (outcome.Caller is not { } caller) return Problems.Unauthenticated(outcome.Problem!).ToResponse().WithHeader("WWW-Authenticate", "Bearer");
                if (!required.Roles.Any(caller.Roles.Contains))
                    return Problems.Forbidden($"This needs one of the roles {string.Join(", ", required.Roles)}.").ToResponse();
                if (rateLimits.TryAcquireWrite(context, caller) is { } writeRetryAfter) return TooManyRequests(writeRetryAfter);
                context.SetCaller(caller);
                return null;

            case PaymentProviderWebhookAttribute provider:
                context.SetCaller(Caller.Integration(provider.Provider));
                return null;

            case SignedWebhookAttribute webhook:
                var secret = SecretFor(webhook.Integration);
                var body = await RequestBody.ReadBytesAsync(context.Request, context.RequestAborted);
                var failure = WebhookSignature.Verify(context.Request.Headers[WebhookSignature.Header], secret, body, clock.GetUtcNow(), webhooks.Value.MaxAge);
                if (failure != WebhookSignature.Failure.None) return Problems.BadSignature(Explain(failure)).ToResponse();
                context.SetCaller(Caller.Integration(webhook.Integration));
                return null;

            default:
                throw new InvalidOperationException($"Unknown access attribute {access.GetType().Name}.");
        }
    }

    private static JsonResponse TooManyRequests(TimeSpan retryAfter)
        => Problems.TooManyRequests(retryAfter).ToResponse().WithHeader("Retry-After", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private string SecretFor(string integration)
    {
        var secret = integration switch
        {
            IssuanceIntegrations.Lms => webhooks.Value.Lms.SigningSecret,
            _ => throw new InvalidOperationException($"No webhook secret setting for integration '{integration}'."),
        };
        // Until someone stores the secret in Key Vault, the platform leaves the reference text itself in the setting.
        return string.IsNullOrEmpty(secret) || secret.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"Setting {WebhookOptions.Section}__{integration}__SigningSecret is not configured.")
            : secret;
    }

    private string Explain(WebhookSignature.Failure failure) => failure switch
    {
        WebhookSignature.Failure.Missing => $"Sign the raw body and send {WebhookSignature.Header}: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">.",
        WebhookSignature.Failure.Malformed => $"The {WebhookSignature.Header} header must look like t=<unix seconds>,v1=<64 hex characters>.",
        WebhookSignature.Failure.Stale => $"The signature's timestamp is more than {webhooks.Value.MaxAge.TotalMinutes} minutes from our clock; a replayed or delayed request is refused. Sign again and resend.",
        _ => "The signature does not match the body; check the shared secret and that the exact raw body bytes were signed.",
    };
}

/// <summary>Names of the integrations that call signed webhooks.</summary>
public static class IssuanceIntegrations
{
    public const string Lms = Application.Issuance.IssuanceService.LmsIntegration;
}
