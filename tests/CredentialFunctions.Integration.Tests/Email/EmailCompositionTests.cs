using CredentialFunctions.Adapters.Email;
using CredentialFunctions.App;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Domain.Programs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Email;

/// <summary>The transport the composition root picks from the app settings, as the Functions app would get it.</summary>
public sealed class EmailCompositionTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings) => new ServiceCollection()
        .AddCredentialServices(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)).Append(new("Links:PublicBaseUrl", "https://func-test.azurewebsites.net")))
            .Build())
        .BuildServiceProvider();

    [Fact]
    public void An_SMTP_host_selects_SMTP_even_when_an_ACS_endpoint_is_set_too()
    {
        using var services = Services(("Email:Smtp:Host", "127.0.0.1"), ("Email:Acs:Endpoint", "https://acs-test.communication.azure.com"));

        Assert.IsType<SmtpEmailSender>(services.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public void An_ACS_endpoint_alone_selects_Communication_Services()
    {
        using var services = Services(("Email:Acs:Endpoint", "https://acs-test.communication.azure.com"), ("Email:SenderAddress", "DoNotReply@abc.azurecomm.net"));

        Assert.IsType<AcsEmailSender>(services.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public async Task Without_a_transport_every_notification_fails_for_good_saying_what_to_set()
    {
        using var services = Services();
        var notification = new Notification(NotificationKind.Issued, "c1:issued", "7QXM-2K9D-RH4T-WZ5C", "Ada Lovelace", "ada@example.org",
            "Certified Widgetmaker", "Widget Board", null, null, null, [RenewalPathway.RetakeExam]);

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(() =>
            services.GetRequiredService<INotificationSender>().SendAsync(notification, CancellationToken.None));

        Assert.False(failure.IsTransient);
        Assert.Equal("Email is not configured: set Email__Smtp__Host or Email__Acs__Endpoint.", failure.Message);
    }

    [Fact]
    public void Links_in_notifications_start_from_the_public_base_url()
    {
        using var services = Services();

        Assert.Equal(
            "https://func-test.azurewebsites.net/api/verify/7QXM-2K9D-RH4T-WZ5C",
            services.GetRequiredService<NotificationTemplates>().VerificationLink("7QXM-2K9D-RH4T-WZ5C").AbsoluteUri);
    }

    [Fact]
    public void A_missing_public_base_url_is_named_when_the_sender_is_first_needed()
    {
        using var services = new ServiceCollection().AddCredentialServices(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var failure = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<INotificationSender>());

        Assert.Contains("Links__PublicBaseUrl", failure.Message);
    }
}
