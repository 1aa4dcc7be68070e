using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Testing.Payments;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Infra.Tests.Payments;

/// <summary>Webhook deliveries shaped and signed like Stripe's, read by the adapter through Stripe.net's EventUtility.</summary>
public sealed class StripeWebhookTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly Money Fee = new(35000, "USD");
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly StripePaymentProvider _provider;

    public StripeWebhookTests() => _provider = new StripeApi(_clock).Provider();

    private PaymentNotice? Read(string payload) => _provider.ReadNotice(payload, StripeEvents.Sign(payload, StripeApi.WebhookSecret, _clock.GetUtcNow()));

    [Fact]
    public void A_paid_checkout_is_a_succeeded_payment_of_the_application()
    {
        var notice = Read(StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now, paymentStatus: "paid", paymentIntent: "pi_3Paid"));

        Assert.Equal(new PaymentNotice("stripe", "evt_1Paid", PaymentNoticeKind.Succeeded, "app-7Q2K", "pi_3Paid", Fee, Now), notice);
    }

    [Fact]
    public void An_unpaid_completed_checkout_is_pending()
    {
        var notice = Read(StripeEvents.CheckoutSessionCompleted("evt_1Debit", "app-7Q2K", Fee, Now, paymentStatus: "unpaid"));

        Assert.Equal(PaymentNoticeKind.Pending, notice?.Kind);
        Assert.Equal("app-7Q2K", notice?.ApplicationId);
    }

    [Fact]
    public void A_completed_checkout_that_takes_no_payment_is_ignored()
    {
        Assert.Null(Read(StripeEvents.CheckoutSessionCompleted("evt_1Free", "app-7Q2K", new Money(0, "USD"), Now, paymentStatus: "no_payment_required")));
    }

    [Fact]
    public void A_delayed_payment_that_went_through_succeeds()
    {
        var notice = Read(StripeEvents.CheckoutSessionAsyncPaymentSucceeded("evt_1Later", "app-7Q2K", Fee, Now, paymentIntent: "pi_3Debit"));

        Assert.Equal(new PaymentNotice("stripe", "evt_1Later", PaymentNoticeKind.Succeeded, "app-7Q2K", "pi_3Debit", Fee, Now), notice);
    }

    [Fact]
    public void A_delayed_payment_that_bounced_fails()
    {
        var notice = Read(StripeEvents.CheckoutSessionAsyncPaymentFailed("evt_1Bounced", "app-7Q2K", Fee, Now, paymentIntent: "pi_3Debit"));

        Assert.Equal(new PaymentNotice("stripe", "evt_1Bounced", PaymentNoticeKind.Failed, "app-7Q2K", "pi_3Debit", Fee, Now), notice);
    }

    [Fact]
    public void A_refunded_charge_names_the_payment_intent_and_the_total_refunded_so_far()
    {
        var notice = Read(StripeEvents.ChargeRefunded("evt_1Refund", "pi_3Paid", Fee, refunded: 20000, Now, previouslyRefunded: 5000));

        Assert.Equal(new PaymentNotice("stripe", "evt_1Refund", PaymentNoticeKind.Refunded, null, "pi_3Paid", new Money(20000, "USD"), Now), notice);
    }

    [Fact]
    public void Stripes_lower_case_currency_is_read_as_the_ISO_code()
    {
        var notice = Read(StripeEvents.CheckoutSessionCompleted("evt_1Yen", "app-7Q2K", new Money(5000, "JPY"), Now));

        Assert.Equal(new Money(5000, "JPY"), notice?.Amount);
    }

    [Theory]
    [InlineData("payment_intent.succeeded")]
    [InlineData("checkout.session.expired")]
    [InlineData("customer.created")]
    public void An_event_type_nothing_here_acts_on_is_accepted_and_ignored(string type)
    {
        var payload = StripeEvents.Event("evt_1Other", type, Now, new JsonObject { ["id"] = "obj_1", ["object"] = "unknown_object" });

        Assert.Null(Read(payload));
    }

    [Fact]
    public void An_event_of_another_API_version_is_still_read()
    {
        var payload = JsonNode.Parse(StripeEvents.CheckoutSessionCompleted("evt_1Old", "app-7Q2K", Fee, Now))!;
        payload["api_version"] = "2020-08-27";

        Assert.Equal(PaymentNoticeKind.Succeeded, Read(payload.ToJsonString())?.Kind);
    }

    [Fact]
    public void A_missing_signature_is_refused()
    {
        var payload = StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now);

        Assert.Throws<PaymentSignatureException>(() => _provider.ReadNotice(payload, null));
        Assert.Throws<PaymentSignatureException>(() => _provider.ReadNotice(payload, ""));
    }

    [Theory]
    [InlineData("t=1772443800")]
    [InlineData("v1=00")]
    [InlineData("garbage")]
    public void A_malformed_signature_is_refused(string signature)
    {
        Assert.Throws<PaymentSignatureException>(() => _provider.ReadNotice(StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now), signature));
    }

    [Fact]
    public void A_delivery_signed_with_another_secret_is_refused()
    {
        var payload = StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now);

        Assert.Throws<PaymentSignatureException>(() => _provider.ReadNotice(payload, StripeEvents.Sign(payload, "whsec_someoneelses", Now)));
    }

    [Fact]
    public void A_tampered_body_is_refused()
    {
        var payload = StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now);
        var signature = StripeEvents.Sign(payload, StripeApi.WebhookSecret, Now);

        Assert.Throws<PaymentSignatureException>(() => _provider.ReadNotice(payload.Replace("\"amount_total\":35000", "\"amount_total\":3500", StringComparison.Ordinal), signature));
    }

    [Fact]
    public void A_delivery_signed_more_than_300_seconds_ago_is_refused_as_a_replay()
    {
        var payload = StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now);
        var signature = StripeEvents.Sign(payload, StripeApi.WebhookSecret, Now);

        _clock.Advance(TimeSpan.FromSeconds(300));
        Assert.NotNull(_provider.ReadNotice(payload, signature));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Throws<PaymentSignatureException>(() => _provider.ReadNotice(payload, signature));
    }

    [Fact]
    public void A_signature_among_others_verifies_as_during_a_secret_rotation()
    {
        var payload = StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now);
        var old = StripeEvents.Sign(payload, "whsec_rolledover", Now);
        var current = StripeEvents.Sign(payload, StripeApi.WebhookSecret, Now);

        Assert.NotNull(_provider.ReadNotice(payload, $"{old},{current.Split(',')[1]}"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{}")]
    [InlineData("""{"id":"cs_test_1","object":"checkout.session"}""")]
    public void A_signed_payload_that_is_not_an_event_is_invalid(string payload)
    {
        Assert.Throws<ValidationFailedException>(() => Read(payload));
    }

    [Fact]
    public void A_checkout_event_that_carries_no_checkout_session_is_invalid()
    {
        var payload = StripeEvents.Event("evt_1Odd", "checkout.session.completed", Now, new JsonObject { ["id"] = "ch_1", ["object"] = "charge", ["amount"] = 100, ["currency"] = "usd" });

        Assert.Throws<ValidationFailedException>(() => Read(payload));
    }

    [Fact]
    public void Without_keys_a_delivery_is_refused_as_not_configured_so_Stripe_delivers_it_again_later()
    {
        var provider = PaymentProviders.Create(new StripeOptions(), new HttpClient(), _clock);
        var payload = StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now);

        var error = Assert.Throws<PaymentProviderException>(() => provider.ReadNotice(payload, StripeEvents.Sign(payload, StripeApi.WebhookSecret, Now)));
        Assert.Contains("Stripe__SecretKey and Stripe__WebhookSecret", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The kit's signature is Stripe's: Stripe.net's own test helper signs the same way.</summary>
    [Fact]
    public void The_kits_signature_is_the_one_Stripe_computes()
    {
        var payload = StripeEvents.CheckoutSessionCompleted("evt_1Paid", "app-7Q2K", Fee, Now);

        Assert.Equal(
            Stripe.EventUtility.GenerateSignatureHeader(payload, StripeApi.WebhookSecret, Now.ToUnixTimeSeconds()),
            StripeEvents.Sign(payload, StripeApi.WebhookSecret, Now));
    }
}
