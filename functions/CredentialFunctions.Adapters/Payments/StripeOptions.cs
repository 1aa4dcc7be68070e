namespace CredentialFunctions.Adapters.Payments;

/// <summary>
/// App settings section "Stripe". In Azure both keys are Key Vault references resolved by the
/// platform with the managed identity (infra/main.bicep); with either unset, payments are refused
/// as not configured (<see cref="PaymentProviders"/>).
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>The secret API key (sk_live_… or a restricted rk_live_… allowed to write Checkout Sessions).</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The webhook endpoint's signing secret (whsec_…), shown by Stripe's dashboard for the endpoint.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>
    /// How often Stripe.net retries a request that failed for a reason worth retrying (a network
    /// error, 409, 429, 5xx), with backoff. Safe for creating a session: every attempt carries the
    /// same idempotency key.
    /// </summary>
    public int MaxNetworkRetries { get; set; } = 2;
}
