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

    /// <summary>The LRS (or LMS) that forwards xAPI statements (Webhooks__Xapi__…).</summary>
    public LrsForwardOptions Xapi { get; set; } = new();

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

/// <summary>
/// How an LRS's statement forward is admitted: HTTP Basic with <see cref="UserName"/> and the secret
/// as password (what LRS forwarding settings offer), or our signature with the same secret.
/// </summary>
public sealed class LrsForwardOptions
{
    public string SigningSecret { get; set; } = "";

    /// <summary>Not a secret: the Basic user name the LRS is configured with.</summary>
    public string UserName { get; set; } = "lrs";

    /// <summary>
    /// The <c>account.homePage</c> of the LMS whose xAPI account names are the learners' LMS ids (as the
    /// LMS webhook sends them); empty when learners are identified by mailbox only.
    /// </summary>
    public string LmsAccountHomePage { get; set; } = "";
}
