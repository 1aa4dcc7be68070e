using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.Adapters.ServiceBus;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using CredentialFunctions.Testing.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Events;

/// <summary>
/// The app as deployed, on a Moq'd Service Bus and with Stripe.net talking to <see cref="StripeApi"/>:
/// a payment recorded on an application is one message on the payments topic, and a publish lost
/// between the write and the send is made good by the repair timer once.
/// </summary>
public sealed class PaymentEventPublishingApiTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private static readonly Money Fee = new(25_000, "USD");
    private static readonly string Topic = new ServiceBusOptions().PaymentsTopic;
    private readonly RecordingServiceBus _bus = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private Task<ApiHost> StartAsync() => ApiHost.StartAsync(cosmos.Endpoint,
        settings: new Dictionary<string, string?>
        {
            ["ServiceBus:FullyQualifiedNamespace"] = RecordingServiceBus.Namespace,
            ["Stripe:SecretKey"] = StripeApi.SecretKey,
            ["Stripe:WebhookSecret"] = StripeApi.WebhookSecret,
        },
        overrides: services =>
        {
            services.AddSingleton(_bus.Client.Object);
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSingleton<IRenewalWindows>(new RecordingRenewalWindows());
            services.AddHttpClient(StripePaymentProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new StripeApi(_clock));
        });

    /// <summary>An application approved for a program with <see cref="Fee"/>, awaiting payment.</summary>
    private static async Task<string> AwaitingPaymentAsync(ApiHost host)
    {
        var programId = await host.CreateProgramAsync(Bodies.Program()
            .With("eligibilityPathways", new[] { new { pathwayId = "training", name = "Approved training", documents = Array.Empty<object>() } })
            .With("fee", new { minorUnits = Fee.MinorUnits, currency = Fee.Currency }));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications")
        {
            Content = ApiHost.Json(new { programId, pathwayId = "training", fullLegalName = "Ada King Lovelace", email = "ada@example.org" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.Learner, "cand-events", "lms:events-1"));
        var submitted = await ApiHost.ReadJsonAsync(await host.Client.SendAsync(request));
        var id = submitted.TryGetProperty("applicationId", out var made) ? made.GetString()! : throw new InvalidOperationException($"Submitting failed: {submitted}");
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { }, Role.ProgramManager)).StatusCode);
        return id;
    }

    private async Task PayByInvoiceAsync(ApiHost host, string id)
    {
        using var paid = await host.SendAsync(HttpMethod.Post, $"/api/applications/{id}/payments",
            new { amountMinorUnits = Fee.MinorUnits, currency = Fee.Currency, reference = "PO-2026-118", paidAt = _clock.GetUtcNow().AddHours(-1) }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
    }

    private static async Task<OutboxEntry> PaymentEventEntryAsync(ApiHost host, string id)
        => Assert.Single((await host.Services.GetRequiredService<IApplicationStore>().GetAsync(id, CancellationToken.None))!.Value.Outbox.Entries);

    /// <summary>The one message on the payments topic: its id is the event's, and its CloudEvent is what the schema in docs/events describes.</summary>
    private async Task<JsonElement> AssertPublishedOnceAsync(ApiHost host, string id)
    {
        var message = Assert.Single(_bus.SentTo(Topic));
        var entry = await PaymentEventEntryAsync(host, id);
        Assert.Equal((IntegrationEvent.OutboxKey(message.MessageId), OutboxState.Sent, 1), (entry.Key, entry.State, entry.Attempts));
        var cloudEvent = Assert.Single(_bus.CloudEventsSentTo(Topic));
        Assert.Equal((EventTypes.PaymentSucceeded, message.MessageId, $"applications/{id}"),
            (cloudEvent.GetProperty("type").GetString(), cloudEvent.GetProperty("id").GetString(), cloudEvent.GetProperty("subject").GetString()));
        EventContractTests.AssertMatchesSchema(EventTypes.PaymentSucceeded, cloudEvent);
        return cloudEvent.GetProperty("data");
    }

    [Fact]
    public async Task A_manual_payment_is_exactly_one_payment_succeeded_CloudEvent_on_the_payments_topic()
    {
        await using var host = await StartAsync();
        var id = await AwaitingPaymentAsync(host);

        await PayByInvoiceAsync(host, id);

        var data = await AssertPublishedOnceAsync(host, id);
        Assert.Equal(("manual", "PO-2026-118"), (data.GetProperty("method").GetString(), data.GetProperty("reference").GetString()));
        Assert.Empty(_bus.SentTo(new ServiceBusOptions().CredentialsTopic));
    }

    [Fact]
    public async Task A_Stripe_signed_payment_is_exactly_one_payment_succeeded_CloudEvent_however_often_Stripe_delivers_it()
    {
        await using var host = await StartAsync();
        var id = await AwaitingPaymentAsync(host);
        var completed = StripeEvents.CheckoutSessionCompleted("evt_1Published", id, Fee, _clock.GetUtcNow().AddSeconds(-5));

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/payments/stripe") { Content = new StringContent(completed, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeEvents.Sign(completed, StripeApi.WebhookSecret, _clock.GetUtcNow()));
            using var delivered = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        var data = await AssertPublishedOnceAsync(host, id);
        Assert.Equal(("provider", "stripe"), (data.GetProperty("method").GetString(), data.GetProperty("provider").GetString()));
    }

    [Fact]
    public async Task A_payment_event_whose_publish_failed_after_the_write_is_sent_by_the_repair_timer_once()
    {
        await using var host = await StartAsync();
        var id = await AwaitingPaymentAsync(host);
        _bus.FailNextSend(Topic, new ServiceBusException("broker down", ServiceBusFailureReason.ServiceCommunicationProblem));

        await PayByInvoiceAsync(host, id);

        Assert.Empty(_bus.SentTo(Topic));
        Assert.Equal(OutboxState.Failed, (await PaymentEventEntryAsync(host, id)).State);
        var repair = host.Services.GetRequiredService<EventRepair>();
        Assert.Equal(new EventRepairReport(0, 0), await repair.RunAsync(CancellationToken.None)); // still settling: the use case may be publishing it

        _clock.Advance(EventRepair.Settle + TimeSpan.FromSeconds(1));
        Assert.Equal(new EventRepairReport(1, 0), await repair.RunAsync(CancellationToken.None));
        Assert.Equal(new EventRepairReport(0, 0), await repair.RunAsync(CancellationToken.None));

        Assert.Single(_bus.SentTo(Topic));
        Assert.Equal((OutboxState.Sent, 2), ((await PaymentEventEntryAsync(host, id)).State, (await PaymentEventEntryAsync(host, id)).Attempts));
    }
}
