using CredentialFunctions.Application.Access;

namespace CredentialFunctions.App.Http;

/// <summary>
/// Every HTTP function declares exactly one of these; the pipeline enforces it, and a test fails
/// any function that declares none, so no route can be left open by forgetting.
/// </summary>
public abstract class AccessAttribute : Attribute;

/// <summary>A bearer token with at least one of these roles.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequireRoleAttribute(params Role[] roles) : AccessAttribute
{
    public IReadOnlyList<Role> Roles { get; } = roles;
}

/// <summary>Anyone, no account (verification and the signed badge, the issuer's profile and keys, health and the API description only). Rate limited per client.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnonymousAttribute : AccessAttribute;

/// <summary>An integration's HMAC signature over the raw body (see WebhookSignature).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SignedWebhookAttribute(string integration) : AccessAttribute
{
    public string Integration { get; } = integration;
}

/// <summary>
/// A payment provider's webhook, signed the provider's way: the function verifies the signature
/// through the payment port (Stripe.net's own check for Stripe), before it reads anything else.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PaymentProviderWebhookAttribute(string provider, string signatureHeader) : AccessAttribute
{
    public string Provider { get; } = provider;
    public string SignatureHeader { get; } = signatureHeader;
}
