using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Payments;
using Microsoft.AspNetCore.WebUtilities;

namespace CredentialFunctions.Testing.Payments;

/// <summary>
/// Stripe's API as Stripe.net meets it, for what the app calls: <c>POST /v1/checkout/sessions</c>
/// answers a Checkout Session in the response's real shape, replays the first answer for a repeated
/// Idempotency-Key (with <c>Idempotent-Replayed: true</c>, as Stripe does), and can be told to answer
/// Stripe's error JSON instead. Every request is recorded with its form fields.
/// </summary>
public sealed class StripeApi(TimeProvider time) : HttpMessageHandler
{
    public const string SecretKey = "sk_test_51CredentialFunctionsTestKey";
    public const string WebhookSecret = "whsec_credentialfunctionstestsecret";

    /// <summary>Stripe's default: a Checkout Session can be paid for 24 hours.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(24);

    public sealed record RecordedRequest(HttpMethod Method, string Path, string? Authorization, string? IdempotencyKey, IReadOnlyDictionary<string, string> Form);

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _answeredByKey = new();
    private readonly ConcurrentQueue<(HttpStatusCode Status, string Body)> _errors = new();
    private int _sessions;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public StripeOptions Options(int maxNetworkRetries = 0) => new() { SecretKey = SecretKey, WebhookSecret = WebhookSecret, MaxNetworkRetries = maxNetworkRetries };

    /// <summary>The adapter over this API. No retries unless asked, so a test sees each answer once.</summary>
    public StripePaymentProvider Provider(int maxNetworkRetries = 0) => new(Options(maxNetworkRetries), new HttpClient(this), time);

    /// <summary>The next request is answered with Stripe's error JSON (one call per request to fail).</summary>
    /// <param name="type">Stripe's error type: card_error (402), invalid_request_error (400), api_error (500)…</param>
    public void FailNext(HttpStatusCode status, string type, string? code, string message, string? param = null)
    {
        var error = new JsonObject
        {
            ["code"] = code,
            ["doc_url"] = code is null ? null : $"https://stripe.com/docs/error-codes/{code.Replace('_', '-')}",
            ["message"] = message,
            ["param"] = param,
            ["request_log_url"] = "https://dashboard.stripe.com/test/logs/req_test",
            ["type"] = type,
        };
        _errors.Enqueue((status, new JsonObject { ["error"] = error }.ToJsonString()));
    }

    /// <summary>Stripe's answer to too many requests.</summary>
    public void RateLimitNext() => FailNext(HttpStatusCode.TooManyRequests, "invalid_request_error", "rate_limit",
        "Testmode request rate limit exceeded, the rate limits in testmode are lower than livemode. You can learn more about rate limits here https://stripe.com/docs/rate-limits.");

    /// <summary>Stripe's answer when something went wrong on its side.</summary>
    public void ServerErrorNext() => FailNext(HttpStatusCode.InternalServerError, "api_error", null, "Sorry, something went wrong. We've already been notified of the problem.");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var form = QueryHelpers.ParseQuery(body).ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        var key = request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null;
        _requests.Enqueue(new(request.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(), key, form));

        if (_errors.TryDequeue(out var error)) return Json(request, error.Status, error.Body);
        if (request.Method != HttpMethod.Post || request.RequestUri.AbsolutePath != "/v1/checkout/sessions")
            return Json(request, HttpStatusCode.NotFound, new JsonObject { ["error"] = new JsonObject
            {
                ["message"] = $"Unrecognized request URL ({request.Method}: {request.RequestUri.AbsolutePath}).",
                ["type"] = "invalid_request_error",
            } }.ToJsonString());

        if (key is not null && _answeredByKey.TryGetValue(key, out var replayed))
        {
            var replay = Json(request, HttpStatusCode.OK, replayed);
            replay.Headers.Add("Idempotent-Replayed", "true");
            return replay;
        }
        var session = Session(form, Interlocked.Increment(ref _sessions)).ToJsonString();
        if (key is not null) session = _answeredByKey.GetOrAdd(key, session);
        return Json(request, HttpStatusCode.OK, session);
    }

    /// <summary>A new session as <c>POST /v1/checkout/sessions</c> answers it: open, unpaid, with its hosted page's URL.</summary>
    private JsonObject Session(IReadOnlyDictionary<string, string> form, int number)
    {
        var id = $"cs_test_a1{number:D6}CredentialFunctionsSession";
        var created = time.GetUtcNow();
        var amount = long.Parse(form["line_items[0][price_data][unit_amount]"], System.Globalization.CultureInfo.InvariantCulture);
        var session = StripeEvents.CheckoutSessionObject(id, form.GetValueOrDefault("client_reference_id"), paymentIntent: null, amount,
            form["line_items[0][price_data][currency]"], status: "open", paymentStatus: "unpaid", created, customerEmail: form.GetValueOrDefault("customer_email"));
        session["url"] = $"https://checkout.stripe.com/c/pay/{id}#fidkdWxOYHwnPyd1blpxYHZxWjA0";
        session["expires_at"] = (created + SessionLifetime).ToUnixTimeSeconds();
        session["success_url"] = form.GetValueOrDefault("success_url");
        session["cancel_url"] = form.GetValueOrDefault("cancel_url");
        session["metadata"] = Metadata(form, "metadata");
        return session;
    }

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(f => f.Key.StartsWith(prefix + "[", StringComparison.Ordinal)))
            metadata[name[(prefix.Length + 1)..^1]] = value;
        return metadata;
    }

    private HttpResponseMessage Json(HttpRequestMessage request, HttpStatusCode status, string body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        response.Headers.Add("Request-Id", $"req_{_requests.Count:D14}");
        // Stripe answers in the version the request asked for.
        if (request.Headers.TryGetValues("Stripe-Version", out var version)) response.Headers.Add("Stripe-Version", version);
        return response;
    }
}
