using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.App;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Testing.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Infra.Tests.Payments;

/// <summary>The composition root's payment provider: Stripe from the "Stripe" settings, reached through the named HttpClient a test can point at <see cref="StripeApi"/>.</summary>
public sealed class PaymentProviderCompositionTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings, StripeApi? stripe = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)));
        services.AddCredentialServices(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        if (stripe is not null) services.AddHttpClient(StripePaymentProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => stripe);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_Stripe_settings_the_provider_refuses_as_not_configured()
    {
        using var services = Services([]);

        var provider = services.GetRequiredService<IPaymentProvider>();

        Assert.IsType<UnconfiguredPaymentProvider>(provider);
        Assert.Equal("stripe", provider.Name);
    }

    [Fact]
    public async Task With_Stripe_settings_checkout_goes_through_the_named_HttpClient()
    {
        var stripe = new StripeApi(TimeProvider.System);
        using var services = Services(new()
        {
            ["Stripe:SecretKey"] = StripeApi.SecretKey,
            ["Stripe:WebhookSecret"] = StripeApi.WebhookSecret,
            ["Stripe:MaxNetworkRetries"] = "0",
        }, stripe);

        var provider = services.GetRequiredService<IPaymentProvider>();
        await provider.StartCheckoutAsync(
            new CheckoutRequest("app-7Q2K", new Money(35000, "USD"), "Certified Data Steward", "ada@example.org", new Uri("https://apply.example.org/")),
            CancellationToken.None);

        Assert.IsType<StripePaymentProvider>(provider);
        Assert.Equal("app-7Q2K", Assert.Single(stripe.Requests).Form["client_reference_id"]);
    }
}
