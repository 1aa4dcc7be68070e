using System.Net;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Testing.Payments;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Infra.Tests.Payments;

/// <summary>Starting checkout through Stripe.net against an HTTP handler that answers like Stripe's API.</summary>
public sealed class StripeCheckoutTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly StripeApi _stripe;

    public StripeCheckoutTests() => _stripe = new StripeApi(_clock);

    private static CheckoutRequest Request(string applicationId = "app-7Q2K", long fee = 35000, string currency = "USD") =>
        new(applicationId, new Money(fee, currency), "Certified Data Steward", "ada@example.org", new Uri("https://apply.example.org/applications/app-7Q2K"));

    [Fact]
    public async Task Checkout_asks_Stripe_for_one_paid_line_of_the_fee_in_its_currency_and_minor_units()
    {
        await _stripe.Provider().StartCheckoutAsync(Request(fee: 35000, currency: "EUR"), CancellationToken.None);

        var request = Assert.Single(_stripe.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/v1/checkout/sessions", request.Path);
        Assert.Equal($"Bearer {StripeApi.SecretKey}", request.Authorization);
        Assert.Equal("payment", request.Form["mode"]);
        Assert.Equal("1", request.Form["line_items[0][quantity]"]);
        Assert.Equal("35000", request.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("eur", request.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("Certified Data Steward", request.Form["line_items[0][price_data][product_data][name]"]);
        Assert.DoesNotContain(request.Form.Keys, field => field.StartsWith("line_items[1]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Checkout_names_the_application_on_the_session_and_its_payment_intent()
    {
        await _stripe.Provider().StartCheckoutAsync(Request("app-7Q2K"), CancellationToken.None);

        var form = Assert.Single(_stripe.Requests).Form;
        Assert.Equal("app-7Q2K", form["client_reference_id"]);
        Assert.Equal("app-7Q2K", form["metadata[application_id]"]);
        Assert.Equal("app-7Q2K", form["payment_intent_data[metadata][application_id]"]);
        Assert.Equal("ada@example.org", form["customer_email"]);
    }

    [Fact]
    public async Task Checkout_sends_the_candidate_back_to_the_return_url_with_the_session_id_placeholder_intact()
    {
        await _stripe.Provider().StartCheckoutAsync(Request(), CancellationToken.None);

        var form = Assert.Single(_stripe.Requests).Form;
        Assert.Equal("https://apply.example.org/applications/app-7Q2K?checkout=succeeded&session_id={CHECKOUT_SESSION_ID}", form["success_url"]);
        Assert.Equal("https://apply.example.org/applications/app-7Q2K?checkout=cancelled", form["cancel_url"]);
    }

    [Fact]
    public async Task Checkout_answers_the_sessions_id_page_and_expiry()
    {
        var session = await _stripe.Provider().StartCheckoutAsync(Request(), CancellationToken.None);

        Assert.StartsWith("cs_test_", session.ProviderSessionId, StringComparison.Ordinal);
        Assert.Equal($"https://checkout.stripe.com/c/pay/{session.ProviderSessionId}", session.PaymentUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal(Now + StripeApi.SessionLifetime, session.ExpiresAt);
    }

    [Fact]
    public async Task A_retried_checkout_carries_the_same_idempotency_key_and_gets_the_same_session()
    {
        var provider = _stripe.Provider();

        var first = await provider.StartCheckoutAsync(Request("app-7Q2K"), CancellationToken.None);
        var again = await provider.StartCheckoutAsync(Request("app-7Q2K"), CancellationToken.None);
        var other = await provider.StartCheckoutAsync(Request("app-9X4M"), CancellationToken.None);

        Assert.Equal(first, again);
        Assert.NotEqual(first.ProviderSessionId, other.ProviderSessionId);
        var keys = _stripe.Requests.Select(r => r.IdempotencyKey).ToList();
        Assert.All(keys, key => Assert.False(string.IsNullOrEmpty(key)));
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]);
    }

    [Fact]
    public async Task A_changed_fee_is_a_new_request_to_Stripe_not_a_replay_of_the_old_one()
    {
        var provider = _stripe.Provider();

        var before = await provider.StartCheckoutAsync(Request(fee: 35000), CancellationToken.None);
        var after = await provider.StartCheckoutAsync(Request(fee: 40000), CancellationToken.None);

        Assert.NotEqual(before.ProviderSessionId, after.ProviderSessionId);
        Assert.NotEqual(_stripe.Requests[0].IdempotencyKey, _stripe.Requests[1].IdempotencyKey);
    }

    [Fact]
    public async Task A_server_error_is_retried_with_the_same_idempotency_key()
    {
        _stripe.ServerErrorNext();

        var session = await _stripe.Provider(maxNetworkRetries: 1).StartCheckoutAsync(Request(), CancellationToken.None);

        Assert.Equal(2, _stripe.Requests.Count);
        Assert.Equal(_stripe.Requests[0].IdempotencyKey, _stripe.Requests[1].IdempotencyKey);
        Assert.StartsWith("cs_test_", session.ProviderSessionId, StringComparison.Ordinal);
    }

    public static TheoryData<HttpStatusCode, string, string?, bool> StripeRefusals => new()
    {
        { HttpStatusCode.PaymentRequired, "card_error", "card_declined", false },
        { HttpStatusCode.BadRequest, "invalid_request_error", "amount_too_small", false },
        { HttpStatusCode.Unauthorized, "invalid_request_error", null, false },
        { HttpStatusCode.TooManyRequests, "invalid_request_error", "rate_limit", true },
        { HttpStatusCode.InternalServerError, "api_error", null, true },
    };

    [Theory]
    [MemberData(nameof(StripeRefusals))]
    public async Task Stripes_error_answer_becomes_a_payment_provider_exception_that_says_whether_retrying_helps(
        HttpStatusCode status, string type, string? code, bool transient)
    {
        _stripe.FailNext(status, type, code, "Stripe's own words about it.", param: code is "amount_too_small" ? "line_items[0][price_data][unit_amount]" : null);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(() => _stripe.Provider().StartCheckoutAsync(Request("app-7Q2K"), CancellationToken.None));

        Assert.Equal(transient, error.IsTransient);
        Assert.Contains("app-7Q2K", error.Message, StringComparison.Ordinal);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("Stripe's own words about it.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_keys_checkout_is_refused_naming_the_settings_to_set()
    {
        var provider = PaymentProviders.Create(new StripeOptions { WebhookSecret = StripeApi.WebhookSecret }, new HttpClient(_stripe), _clock);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(() => provider.StartCheckoutAsync(Request(), CancellationToken.None));

        Assert.Equal(StripePaymentProvider.ProviderName, provider.Name);
        Assert.False(error.IsTransient);
        Assert.Contains("Stripe__SecretKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Stripe__WebhookSecret", error.Message, StringComparison.Ordinal);
        Assert.Empty(_stripe.Requests);
    }

    [Fact]
    public async Task A_key_whose_Key_Vault_reference_did_not_resolve_counts_as_not_configured()
    {
        var options = _stripe.Options();
        options.SecretKey = "@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/stripe-secret-key/)";
        var provider = PaymentProviders.Create(options, new HttpClient(_stripe), _clock);

        var error = await Assert.ThrowsAsync<PaymentProviderException>(() => provider.StartCheckoutAsync(Request(), CancellationToken.None));

        Assert.Equal("Payments are not configured: create the Key Vault secret that Stripe__SecretKey refers to.", error.Message);
        Assert.Empty(_stripe.Requests);
    }

    [Fact]
    public void With_both_keys_the_provider_is_Stripe()
    {
        Assert.IsType<StripePaymentProvider>(PaymentProviders.Create(_stripe.Options(), new HttpClient(_stripe), _clock));
    }
}
