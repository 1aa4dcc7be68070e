using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.Domain.Payments;

namespace CredentialFunctions.Testing.Payments;

/// <summary>
/// Webhook deliveries as Stripe sends them: the event envelope and the whole object it carries,
/// field for field as in Stripe's API reference and stripe-mock's fixtures (API version
/// 2025-06-30.basil), with only what a test varies as parameters; and the Stripe-Signature header
/// signed the way Stripe signs it.
/// </summary>
public static class StripeEvents
{
    public const string ApiVersion = "2025-06-30.basil";

    /// <summary>The candidate finished checkout; <paramref name="paymentStatus"/> is "paid" for a card, "unpaid" for a bank debit still on its way.</summary>
    public static string CheckoutSessionCompleted(
        string eventId, string? applicationId, Money amount, DateTimeOffset created, string paymentStatus = "paid", string paymentIntent = "pi_3RlHe1R7UUImIKwk0QxX4eYe")
        => Event(eventId, "checkout.session.completed", created,
            CompletedSession(applicationId, amount, created, paymentStatus, paymentIntent));

    /// <summary>A delayed payment (a bank debit) of a completed session went through.</summary>
    public static string CheckoutSessionAsyncPaymentSucceeded(
        string eventId, string? applicationId, Money amount, DateTimeOffset created, string paymentIntent = "pi_3RlHe1R7UUImIKwk0QxX4eYe")
        => Event(eventId, "checkout.session.async_payment_succeeded", created,
            CompletedSession(applicationId, amount, created, "paid", paymentIntent));

    /// <summary>A delayed payment of a completed session failed (the debit bounced).</summary>
    public static string CheckoutSessionAsyncPaymentFailed(
        string eventId, string? applicationId, Money amount, DateTimeOffset created, string paymentIntent = "pi_3RlHe1R7UUImIKwk0QxX4eYe")
        => Event(eventId, "checkout.session.async_payment_failed", created,
            CompletedSession(applicationId, amount, created, "unpaid", paymentIntent));

    /// <summary>A charge was refunded, wholly or in part; <paramref name="refunded"/> is the total refunded so far.</summary>
    public static string ChargeRefunded(string eventId, string paymentIntent, Money charged, long refunded, DateTimeOffset created, long previouslyRefunded = 0)
        => Event(eventId, "charge.refunded", created, RefundedCharge(paymentIntent, charged, refunded, created),
            previousAttributes: new JsonObject { ["amount_refunded"] = previouslyRefunded, ["refunded"] = false },
            request: new JsonObject { ["id"] = "req_4q9Bt0CgmGVXHn", ["idempotency_key"] = "b7d0f8a2-53d5-4c0e-9a31-2f1f6a3e0c11" });

    /// <summary>Any event type, for one nothing here acts on.</summary>
    public static string Event(string eventId, string type, DateTimeOffset created, JsonObject dataObject, JsonObject? previousAttributes = null, JsonObject? request = null)
    {
        var data = new JsonObject { ["object"] = dataObject };
        if (previousAttributes is not null) data["previous_attributes"] = previousAttributes;
        return new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = ApiVersion,
            ["created"] = created.ToUnixTimeSeconds(),
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            // Null for what the customer did on Stripe's page; a refund made through the API names its request.
            ["request"] = request ?? new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        }.ToJsonString();
    }

    /// <summary>
    /// The <c>Stripe-Signature</c> header for a payload: <c>t=</c> the Unix time, <c>v1=</c> the
    /// lower-case hex HMAC-SHA256 of <c>"{t}.{payload}"</c> keyed with the endpoint's whole secret.
    /// </summary>
    public static string Sign(string payload, string secret, DateTimeOffset timestamp)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>A Checkout Session object in full; <see cref="StripeApi"/> answers new sessions in this shape too.</summary>
    public static JsonObject CheckoutSessionObject(
        string id, string? applicationId, string? paymentIntent, long amount, string currency, string status, string paymentStatus, DateTimeOffset created,
        string? customerEmail, JsonObject? customerDetails = null)
    {
        var metadata = new JsonObject();
        if (applicationId is not null) metadata[StripePaymentProvider.ApplicationIdKey] = applicationId;
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["adaptive_pricing"] = new JsonObject { ["enabled"] = false },
            ["after_expiration"] = null,
            ["allow_promotion_codes"] = null,
            ["amount_subtotal"] = amount,
            ["amount_total"] = amount,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["liability"] = null, ["provider"] = null, ["status"] = null },
            ["billing_address_collection"] = null,
            ["cancel_url"] = "https://apply.example.org/applications/return?checkout=cancelled",
            ["client_reference_id"] = applicationId,
            ["client_secret"] = null,
            ["collected_information"] = new JsonObject { ["business_name"] = null, ["individual_name"] = null, ["shipping_details"] = null },
            ["consent"] = null,
            ["consent_collection"] = null,
            ["created"] = created.ToUnixTimeSeconds(),
            ["currency"] = currency.ToLowerInvariant(),
            ["currency_conversion"] = null,
            ["custom_fields"] = new JsonArray(),
            ["custom_text"] = new JsonObject { ["after_submit"] = null, ["shipping_address"] = null, ["submit"] = null, ["terms_of_service_acceptance"] = null },
            ["customer"] = null,
            ["customer_account"] = null,
            ["customer_creation"] = "if_required",
            ["customer_details"] = customerDetails,
            ["customer_email"] = customerEmail,
            ["discounts"] = new JsonArray(),
            ["expires_at"] = (created + TimeSpan.FromHours(24)).ToUnixTimeSeconds(),
            ["invoice"] = null,
            ["invoice_creation"] = new JsonObject
            {
                ["enabled"] = false,
                ["invoice_data"] = new JsonObject
                {
                    ["account_tax_ids"] = null, ["custom_fields"] = null, ["description"] = null, ["footer"] = null,
                    ["issuer"] = null, ["metadata"] = new JsonObject(), ["rendering_options"] = null,
                },
            },
            ["livemode"] = false,
            ["locale"] = null,
            ["metadata"] = metadata,
            ["mode"] = "payment",
            ["origin_context"] = null,
            ["payment_intent"] = paymentIntent,
            ["payment_link"] = null,
            ["payment_method_collection"] = "if_required",
            ["payment_method_configuration_details"] = new JsonObject { ["id"] = "pmc_1RlHdyR7UUImIKwkZ2b0cT1x", ["parent"] = null },
            ["payment_method_options"] = new JsonObject { ["card"] = new JsonObject { ["request_three_d_secure"] = "automatic" } },
            ["payment_method_types"] = new JsonArray("card", "link", "us_bank_account"),
            ["payment_status"] = paymentStatus,
            ["permissions"] = null,
            ["phone_number_collection"] = new JsonObject { ["enabled"] = false },
            ["recovered_from"] = null,
            ["saved_payment_method_options"] = null,
            ["setup_intent"] = null,
            ["shipping_address_collection"] = null,
            ["shipping_cost"] = null,
            ["shipping_options"] = new JsonArray(),
            ["status"] = status,
            ["submit_type"] = null,
            ["subscription"] = null,
            ["success_url"] = "https://apply.example.org/applications/return?checkout=succeeded&session_id={CHECKOUT_SESSION_ID}",
            ["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 },
            ["ui_mode"] = "hosted",
            ["url"] = null,
            ["wallet_options"] = null,
        };
    }

    private static JsonObject CompletedSession(string? applicationId, Money amount, DateTimeOffset created, string paymentStatus, string paymentIntent)
        => CheckoutSessionObject("cs_test_a1Zk7Id18b3FeLh8OQGRS78RxvMukoamHPw9fvTBKuBRVRjJjG0sJVJRBC", applicationId, paymentIntent,
            amount.MinorUnits, amount.Currency, status: "complete", paymentStatus, created - TimeSpan.FromMinutes(3), customerEmail: "candidate@example.org",
            customerDetails: new JsonObject
            {
                ["address"] = Address(),
                ["business_name"] = null,
                ["email"] = "candidate@example.org",
                ["individual_name"] = null,
                ["name"] = "Ada Candidate",
                ["phone"] = null,
                ["tax_exempt"] = "none",
                ["tax_ids"] = new JsonArray(),
            });

    private static JsonObject RefundedCharge(string paymentIntent, Money charged, long refunded, DateTimeOffset created) => new()
    {
        ["id"] = "ch_3RlHe1R7UUImIKwk0m8kFq2P",
        ["object"] = "charge",
        ["amount"] = charged.MinorUnits,
        ["amount_captured"] = charged.MinorUnits,
        ["amount_refunded"] = refunded,
        ["application"] = null,
        ["application_fee"] = null,
        ["application_fee_amount"] = null,
        ["balance_transaction"] = "txn_3RlHe1R7UUImIKwk0Qb3Vh7s",
        ["billing_details"] = new JsonObject
        {
            ["address"] = Address(), ["email"] = "candidate@example.org", ["name"] = "Ada Candidate", ["phone"] = null, ["tax_id"] = null,
        },
        ["calculated_statement_descriptor"] = "CREDENTIAL BOARD",
        ["captured"] = true,
        ["created"] = (created - TimeSpan.FromDays(2)).ToUnixTimeSeconds(),
        ["currency"] = charged.Currency.ToLowerInvariant(),
        ["customer"] = null,
        ["description"] = null,
        ["destination"] = null,
        ["dispute"] = null,
        ["disputed"] = false,
        ["failure_balance_transaction"] = null,
        ["failure_code"] = null,
        ["failure_message"] = null,
        ["fraud_details"] = new JsonObject(),
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["on_behalf_of"] = null,
        ["order"] = null,
        ["outcome"] = new JsonObject
        {
            ["advice_code"] = null, ["network_advice_code"] = null, ["network_decline_code"] = null, ["network_status"] = "approved_by_network",
            ["reason"] = null, ["risk_level"] = "normal", ["risk_score"] = 21, ["seller_message"] = "Payment complete.", ["type"] = "authorized",
        },
        ["paid"] = true,
        ["payment_intent"] = paymentIntent,
        ["payment_method"] = "pm_1RlHe0R7UUImIKwkd4cM2sTq",
        ["payment_method_details"] = new JsonObject
        {
            ["card"] = new JsonObject
            {
                ["amount_authorized"] = charged.MinorUnits,
                ["authorization_code"] = "123456",
                ["brand"] = "visa",
                ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = "pass", ["cvc_check"] = "pass" },
                ["country"] = "US",
                ["exp_month"] = 12,
                ["exp_year"] = 2030,
                ["extended_authorization"] = new JsonObject { ["status"] = "disabled" },
                ["fingerprint"] = "mToisGZ01V71BCos",
                ["funding"] = "credit",
                ["incremental_authorization"] = new JsonObject { ["status"] = "unavailable" },
                ["installments"] = null,
                ["last4"] = "4242",
                ["mandate"] = null,
                ["multicapture"] = new JsonObject { ["status"] = "unavailable" },
                ["network"] = "visa",
                ["network_token"] = new JsonObject { ["used"] = false },
                ["network_transaction_id"] = "104102978678771",
                ["overcapture"] = new JsonObject { ["maximum_amount_capturable"] = charged.MinorUnits, ["status"] = "unavailable" },
                ["regulated_status"] = "unregulated",
                ["three_d_secure"] = null,
                ["wallet"] = null,
            },
            ["type"] = "card",
        },
        ["radar_options"] = new JsonObject(),
        ["receipt_email"] = "candidate@example.org",
        ["receipt_number"] = null,
        ["receipt_url"] = "https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xUmxIZGtSN1VVSW1JS3drKKq",
        ["refunded"] = refunded >= charged.MinorUnits,
        ["review"] = null,
        ["shipping"] = null,
        ["source"] = null,
        ["source_transfer"] = null,
        ["statement_descriptor"] = null,
        ["statement_descriptor_suffix"] = null,
        ["status"] = "succeeded",
        ["transfer_data"] = null,
        ["transfer_group"] = null,
    };

    private static JsonObject Address() => new()
    {
        ["city"] = null, ["country"] = "US", ["line1"] = null, ["line2"] = null, ["postal_code"] = "94107", ["state"] = null,
    };
}
