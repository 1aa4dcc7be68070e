using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Payments;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Applications;

/// <summary>Checkout and the Stripe webhook on a host with Stripe configured, Stripe.net talking to <see cref="StripeApi"/> (the collection's local Cosmos server, a database of its own).</summary>
[Collection(ApiCollection.Name)]
public sealed class StripePaymentApiTests(ApiFixture fixture) : IAsyncLifetime
{
    private static readonly Money Fee = new(25_000, "USD");

    private readonly StripeApi _stripe = new(TimeProvider.System);
    private ApiHost _api = null!;

    public async Task InitializeAsync()
        => _api = await ApiHost.StartAsync(fixture.Host.CosmosEndpoint, settings: new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = StripeApi.SecretKey,
            ["Stripe:WebhookSecret"] = StripeApi.WebhookSecret,
        }, overrides: services =>
        {
            services.AddSingleton<IRenewalWindows>(new RecordingRenewalWindows());
            services.AddHttpClient(StripePaymentProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _stripe);
        });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private (string Subject, string LearnerId) _candidate = ("cand-stripe", "lms:stripe-1");

    private Task<HttpResponseMessage> AsCandidateAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = ApiHost.Json(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.Learner, _candidate.Subject, _candidate.LearnerId));
        return _api.Client.SendAsync(request);
    }

    /// <summary>An application approved for a program with <see cref="Fee"/>, awaiting payment.</summary>
    private async Task<string> AwaitingPaymentAsync(bool approve = true)
    {
        var programId = await _api.CreateProgramAsync(Bodies.Program()
            .With("eligibilityPathways", new[] { new { pathwayId = "training", name = "Approved training", documents = Array.Empty<object>() } })
            .With("fee", new { minorUnits = Fee.MinorUnits, currency = Fee.Currency }));
        var submitted = await ApiHost.ReadJsonAsync(await AsCandidateAsync(HttpMethod.Post, "/api/applications",
            new { programId, pathwayId = "training", fullLegalName = "Ada King Lovelace", email = "ada@example.org" }));
        var id = submitted.TryGetProperty("applicationId", out var made) ? made.GetString()! : throw new InvalidOperationException($"Submitting failed: {submitted}");
        if (approve) Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { }, Role.ProgramManager)).StatusCode);
        return id;
    }

    private Task<HttpResponseMessage> DeliverAsync(string payload, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/payments/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? StripeEvents.Sign(payload, StripeApi.WebhookSecret, DateTimeOffset.UtcNow));
        return _api.Client.SendAsync(request);
    }

    private async Task<JsonElement> StoredAsync(string id)
        => await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Get, $"/api/applications/{id}", role: Role.Auditor));

    [Fact]
    public async Task The_candidate_checks_out_and_the_signed_completion_makes_them_eligible_once_however_often_Stripe_delivers_it()
    {
        var id = await AwaitingPaymentAsync();

        var checkout = await ApiHost.ReadJsonAsync(await AsCandidateAsync(HttpMethod.Post, $"/api/applications/{id}/checkout"));
        var completed = StripeEvents.CheckoutSessionCompleted("evt_1Completed", id, Fee, DateTimeOffset.UtcNow.AddSeconds(-5));
        var first = await DeliverAsync(completed);
        var firstAnswer = await ApiHost.ReadJsonAsync(first);
        var afterFirst = (await StoredAsync(id)).ToString();
        var again = await DeliverAsync(completed);

        Assert.StartsWith("https://", checkout.GetProperty("paymentUrl").GetString());
        var session = Assert.Single(_stripe.Requests);
        Assert.Equal((id, "25000", "usd"), (session.Form["client_reference_id"], session.Form["line_items[0][price_data][unit_amount]"], session.Form["line_items[0][price_data][currency]"]));
        Assert.Equal(("eligible", true), (firstAnswer.GetProperty("status").GetString(), firstAnswer.GetProperty("applied").GetBoolean()));
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(afterFirst, (await StoredAsync(id)).ToString());
        var paymentEvent = Assert.Single(_api.PublishedEventsAbout($"applications/{id}"));
        var data = paymentEvent.GetProperty("data");
        Assert.Equal((EventTypes.PaymentSucceeded, "provider", "stripe"), (paymentEvent.GetProperty("type").GetString(), data.GetProperty("method").GetString(), data.GetProperty("provider").GetString()));
    }

    [Fact]
    public async Task A_full_refund_found_by_its_payment_intent_takes_eligibility_back_and_is_published()
    {
        var id = await AwaitingPaymentAsync();
        await DeliverAsync(StripeEvents.CheckoutSessionCompleted("evt_2Completed", id, Fee, DateTimeOffset.UtcNow.AddMinutes(-2), paymentIntent: "pi_refund_me"));

        var refunded = await ApiHost.ReadJsonAsync(await DeliverAsync(StripeEvents.ChargeRefunded("evt_2Refunded", "pi_refund_me", Fee, Fee.MinorUnits, DateTimeOffset.UtcNow.AddSeconds(-5))));

        Assert.Equal((id, "awaitingPayment"), (refunded.GetProperty("applicationId").GetString(), refunded.GetProperty("status").GetString()));
        Assert.Equal([EventTypes.PaymentSucceeded, EventTypes.PaymentRefunded], _api.PublishedEventsAbout($"applications/{id}").Select(e => e.GetProperty("type").GetString()));
    }

    [Theory]
    [InlineData(24_999, "USD")]
    [InlineData(25_000, "EUR")]
    public async Task A_payment_that_is_not_the_fee_is_refused_and_changes_nothing(long minorUnits, string currency)
    {
        var id = await AwaitingPaymentAsync();
        var before = (await StoredAsync(id)).ToString();

        var problem = await Problem.AssertAsync(await DeliverAsync(StripeEvents.CheckoutSessionCompleted("evt_3", id, new Money(minorUnits, currency), DateTimeOffset.UtcNow)),
            HttpStatusCode.BadRequest, "validation");

        Assert.True(problem.GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(before, (await StoredAsync(id)).ToString());
    }

    [Fact]
    public async Task A_delivery_badly_signed_signed_with_another_secret_or_replayed_past_Stripes_tolerance_is_401_and_changes_nothing()
    {
        var id = await AwaitingPaymentAsync();
        var before = (await StoredAsync(id)).ToString();
        var payload = StripeEvents.CheckoutSessionCompleted("evt_4", id, Fee, DateTimeOffset.UtcNow);

        await Problem.AssertAsync(await DeliverAsync(payload, "t=1,v1=00"), HttpStatusCode.Unauthorized, "bad-signature");
        await Problem.AssertAsync(await DeliverAsync(payload, StripeEvents.Sign(payload, "whsec_someone_else", DateTimeOffset.UtcNow)), HttpStatusCode.Unauthorized, "bad-signature");
        await Problem.AssertAsync(await DeliverAsync(payload, StripeEvents.Sign(payload, StripeApi.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-6))), HttpStatusCode.Unauthorized, "bad-signature");
        await Problem.AssertAsync(await DeliverAsync(payload.Replace("25000", "1"), StripeEvents.Sign(payload, StripeApi.WebhookSecret, DateTimeOffset.UtcNow)), HttpStatusCode.Unauthorized, "bad-signature");

        Assert.Equal(before, (await StoredAsync(id)).ToString());
    }

    [Fact]
    public async Task Checkout_before_approval_by_someone_else_or_for_an_unknown_application_is_refused_and_nothing_reaches_Stripe()
    {
        var unapproved = await AwaitingPaymentAsync(approve: false);

        var early = await Problem.AssertAsync(await AsCandidateAsync(HttpMethod.Post, $"/api/applications/{unapproved}/checkout"), HttpStatusCode.Conflict, "application-transition");
        _candidate = ("cand-other", "lms:other");
        await Problem.AssertAsync(await AsCandidateAsync(HttpMethod.Post, $"/api/applications/{unapproved}/checkout"), HttpStatusCode.Forbidden, "forbidden");
        await Problem.AssertAsync(await AsCandidateAsync(HttpMethod.Post, "/api/applications/app-none/checkout"), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await DeliverAsync(StripeEvents.CheckoutSessionCompleted("evt_5", "app-none", Fee, DateTimeOffset.UtcNow)), HttpStatusCode.NotFound, "not-found");

        Assert.Contains("withdraw", early.GetProperty("possible").EnumerateArray().Select(p => p.GetString()));
        Assert.Empty(_stripe.Requests);
    }
}
