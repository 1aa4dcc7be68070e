using CredentialFunctions.Application.Payments;

namespace CredentialFunctions.Adapters.Payments;

/// <summary>Picks the payment provider the settings describe (see <see cref="StripeOptions"/>).</summary>
public static class PaymentProviders
{
    /// <summary>What the platform leaves in a setting whose Key Vault reference did not resolve (the secret is not created yet).</summary>
    private const string UnresolvedKeyVaultReference = "@Microsoft.KeyVault(";

    public static IPaymentProvider Create(StripeOptions options, HttpClient httpClient, TimeProvider time)
    {
        var problems = new[] { (nameof(options.SecretKey), options.SecretKey), (nameof(options.WebhookSecret), options.WebhookSecret) }
            .Select(setting => (Name: $"{StripeOptions.Section}__{setting.Item1}", Value: setting.Item2))
            .Where(setting => string.IsNullOrWhiteSpace(setting.Value) || setting.Value.StartsWith(UnresolvedKeyVaultReference, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (problems.Count == 0) return new StripePaymentProvider(options, httpClient, time);

        var unset = problems.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Name).ToList();
        var unresolved = problems.Select(p => p.Name).Except(unset).ToList();
        var reasons = new List<string>();
        if (unset.Count > 0) reasons.Add($"set {string.Join(" and ", unset)}");
        if (unresolved.Count > 0) reasons.Add($"create the Key Vault secret that {string.Join(" and ", unresolved)} refer{(unresolved.Count == 1 ? "s" : "")} to");
        return new UnconfiguredPaymentProvider(StripePaymentProvider.ProviderName, $"Payments are not configured: {string.Join("; ", reasons)}.");
    }
}
