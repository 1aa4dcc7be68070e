namespace CredentialFunctions.Adapters.Webhooks;

/// <summary>
/// App settings section "Webhooks": one shared secret per integration (Webhooks__Lms__SigningSecret, Webhooks__Exams__SigningSecret).
/// In Azure the value is a Key Vault reference resolved by the platform with the managed identity.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public IntegrationSecret Lms { get; set; } = new();

    /// <summary>The exam provider's, for its result webhook (Webhooks__Exams__SigningSecret).</summary>
    public IntegrationSecret Exams { get; set; } = new();

    /// <summary>
    /// How old a signed request may be before it is refused as a replay. A setting of its own, not
    /// <see cref="Domain.ClockSkew"/>: it bounds how long a captured request stays usable, and must also
    /// cover the integrations' delivery and retry delays, so a deployment may tighten or widen it alone.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class IntegrationSecret
{
    public string SigningSecret { get; set; } = "";
}
