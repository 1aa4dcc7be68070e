using System.Net;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using CredentialFunctions.Adapters.ServiceBus;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Events;

/// <summary>
/// The app as deployed, on a Moq'd Service Bus: each credential change is one message on the
/// credentials topic, a publish lost between the write and the send is made good by the repair
/// timer once, and nothing is ever sent twice.
/// </summary>
public sealed class EventPublishingApiTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private const string Topic = "credentials";
    private readonly RecordingServiceBus _bus = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private Task<ApiHost> StartAsync() => ApiHost.StartAsync(cosmos.Endpoint,
        settings: new Dictionary<string, string?> { ["ServiceBus:FullyQualifiedNamespace"] = RecordingServiceBus.Namespace },
        overrides: services =>
        {
            services.AddSingleton(_bus.Client.Object);
            services.AddSingleton<TimeProvider>(_clock);
        });

    private static async Task<Credential> RecordAsync(ApiHost host, string certificateId)
        => (await host.Services.GetRequiredService<ICredentialStore>().GetAsync(certificateId, CancellationToken.None))!.Value;

    private static async Task RevokeAsync(ApiHost host, string certificateId)
    {
        using var response = await host.SendAsync(HttpMethod.Post, $"/api/credentials/{certificateId}/revocation", new { reason = "Exam misconduct" }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Each_state_change_is_exactly_one_CloudEvent_on_the_credentials_topic()
    {
        await using var host = await StartAsync();
        var id = await host.IssueAsync(await host.CreateProgramAsync());
        await RevokeAsync(host, id);

        var sent = _bus.SentTo(Topic);
        Assert.Equal([EventTypes.CredentialIssued, EventTypes.CredentialRevoked], sent.Select(m => (string)m.ApplicationProperties["type"]));
        var record = await RecordAsync(host, id);
        Assert.Equal([$"{id}:1", $"{id}:2"], sent.Select(m => m.MessageId));
        Assert.All(record.Outbox.Entries.Where(e => e.Channel == OutboxChannel.Events), e => Assert.Equal((OutboxState.Sent, 1), (e.State, e.Attempts)));
        var revoked = _bus.CloudEventsSentTo(Topic)[1];
        Assert.Equal(("1.0", $"credentials/{id}", "http://localhost:7071/", "revoked"),
            (revoked.GetProperty("specversion").GetString(), revoked.GetProperty("subject").GetString(), revoked.GetProperty("source").GetString(),
             revoked.GetProperty("data").GetProperty("state").GetString()));
        Assert.Empty(_bus.SentTo(new ServiceBusOptions().PaymentsTopic));
    }

    [Fact]
    public async Task A_publish_that_failed_after_the_write_is_sent_by_the_repair_timer_once()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        _bus.FailNextSend(Topic, new ServiceBusException("broker down", ServiceBusFailureReason.ServiceCommunicationProblem));

        var id = await host.IssueAsync(programId);

        Assert.Empty(_bus.SentTo(Topic));
        Assert.Equal(OutboxState.Failed, (await RecordAsync(host, id)).Outbox.UnsentEvents.Single().State);
        var repair = host.Services.GetRequiredService<EventRepair>();
        Assert.Equal(new EventRepairReport(0, 0), await repair.RunAsync(CancellationToken.None)); // still settling: the use case may be publishing it

        _clock.Advance(EventRepair.Settle + TimeSpan.FromSeconds(1));
        Assert.Equal(new EventRepairReport(1, 0), await repair.RunAsync(CancellationToken.None));
        Assert.Equal(new EventRepairReport(0, 0), await repair.RunAsync(CancellationToken.None));

        Assert.Equal($"{id}:1", Assert.Single(_bus.SentTo(Topic)).MessageId);
        Assert.Empty((await RecordAsync(host, id)).Outbox.UnsentEvents);
    }

    [Fact]
    public async Task An_issuance_that_died_between_its_create_and_the_send_is_sent_once_by_the_repair_when_the_claim_its_create_took_runs_out()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        var completion = Bodies.Completion(programId, eventId: "evt-died");
        // Cancelled, the send leaves the claim as a process that died mid-send would: nothing records its end.
        _bus.FailNextSend(Topic, new OperationCanceledException("the host shut down mid-send"));
        using (var died = await host.Client.SendAsync(host.SignedLms(JsonSerializer.Serialize(completion, CredentialJson.Options))))
            Assert.False(died.IsSuccessStatusCode);
        var id = await host.IssueAsync(programId, completion);

        // The LMS's retry found the claim live: no second sender while the first may still be sending.
        Assert.Empty(_bus.SentTo(Topic));
        Assert.Equal(OutboxState.InProgress, (await RecordAsync(host, id)).Outbox.UnsentEvents.Single().State);
        var repair = host.Services.GetRequiredService<EventRepair>();
        _clock.Advance(OutboxPolicy.Lease + TimeSpan.FromSeconds(1));
        await repair.RunAsync(CancellationToken.None);
        await repair.RunAsync(CancellationToken.None);

        Assert.Equal($"{id}:1", Assert.Single(_bus.SentTo(Topic)).MessageId);
        Assert.Equal(OutboxState.Sent, Assert.Single((await RecordAsync(host, id)).Outbox.Entries, e => e.Channel == OutboxChannel.Events).State);
    }

    [Fact]
    public async Task A_duplicate_dispatch_or_a_redelivered_completion_sends_nothing_twice()
    {
        await using var host = await StartAsync();
        var programId = await host.CreateProgramAsync();
        var completion = Bodies.Completion(programId, eventId: "evt-dup");
        var id = await host.IssueAsync(programId, completion);

        Assert.Equal(id, await host.IssueAsync(programId, completion));
        var record = await RecordAsync(host, id);
        var publisher = host.Services.GetRequiredService<EventPublisher<Credential>>();
        await publisher.PublishAsync(id, record with { Outbox = new Outbox([.. record.Outbox.Entries.Select(e => e with { State = OutboxState.Pending })]) }, null, CancellationToken.None);

        Assert.Single(_bus.SentTo(Topic));
    }
}
