using System.Collections.Concurrent;
using System.Reflection;
using CredentialFunctions.Adapters;
using CredentialFunctions.Application;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Adapters.Email;
using CredentialFunctions.Adapters.Events;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.LocalHost;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Testing.Durable;

/// <summary>
/// Durable Task's in-memory backend behind its gRPC endpoint, kept apart from the workers so a test
/// can stop the worker mid-cycle and start another, as a Functions instance restarts while its task
/// hub (Azure Storage in Azure) keeps the orchestrations.
/// </summary>
public sealed class InMemoryDurableBackend : IAsyncDisposable
{
    private readonly LocalTaskHub _hub;
    private readonly EpisodeWatch _episodes;

    private InMemoryDurableBackend(LocalTaskHub hub, string address, EpisodeWatch episodes)
    {
        _hub = hub;
        Address = address;
        _episodes = episodes;
    }

    public string Address { get; }

    /// <param name="observe">Wraps the backend's work-item side, e.g. to count history events (the benchmark).</param>
    public static async Task<InMemoryDurableBackend> StartAsync(Func<IOrchestrationService, IOrchestrationService>? observe = null)
    {
        var service = new InMemoryOrchestrationService();
        var (dispatched, episodes) = EpisodeWatch.Wrap(service);
        var address = $"http://localhost:{LocalCosmosServer.FreePort()}";
        return new InMemoryDurableBackend(await LocalTaskHub.StartAsync(address, observe?.Invoke(dispatched) ?? dispatched, service), address, episodes);
    }

    /// <summary>
    /// Completes when the instance's last episode ended asleep on a durable timer with nothing in
    /// flight: the one safe moment to stop a worker, because the backend waits for ever on a work item
    /// it handed to a worker that went away (as a real task hub would until the item's lease ran out).
    /// </summary>
    public async Task UntilAsleepAsync(string instanceId, CancellationToken cancellationToken)
    {
        while (!_episodes.IsAsleep(instanceId)) await Task.Delay(20, cancellationToken);
    }

    /// <summary>A worker process: the app's renewal orchestrator and activities over the given store and sender, and a client.</summary>
    public async Task<RenewalWorker> StartWorkerAsync(ICredentialStore store, INotificationSender sender)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(sender);
        builder.Services.AddSingleton<CredentialUpdater>();
        builder.Services.AddSingleton<VersionedUpdater<Credential>>(sp => sp.GetRequiredService<CredentialUpdater>());
        builder.Services.AddSingleton<IIdSource, RandomIdSource>();
        builder.Services.AddSingleton(TimeProvider.System);
        // The window sends no application notice: a mail transport that refuses, saying it is not configured.
        builder.Services.AddSingleton(new ApplicationEmails(new NotificationTemplates(new Uri("http://localhost:7071")), new UnconfiguredEmailSender()));
        builder.Services.AddSingleton<IOutboxTransport, EmailOutbox>();
        builder.Services.AddSingleton(typeof(OutboxDispatcher<>));
        // The window's own changes (a lapse, a renewal by credits) publish their events as the local host does.
        builder.Services.AddSingleton<IOutboxTransport>(new JsonLinesEventLog(
            Path.Combine(Path.GetTempPath(), "credential-functions-tests", Guid.NewGuid().ToString("N") + ".events.jsonl"), new Uri("http://localhost:7071")));
        builder.Services.AddSingleton(typeof(EventPublisher<>));
        builder.Services.AddSingleton<RenewalWindowSteps>();
        builder.Services.AddDurableTaskWorker(worker => worker
            .UseGrpc(Address)
            .AddTasks(tasks => tasks.AddRenewalWindowTasks()));
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(Address).RegisterDirectly());
        var host = builder.Build();
        await host.StartAsync();
        var worker = new RenewalWorker(host);
        await worker.UntilReadyAsync();
        return worker;
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}

public sealed class RenewalWorker(IHost host) : IAsyncDisposable
{
    /// <summary>How long a worker on a loaded machine may take to connect to the backend and run its first window.</summary>
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(2);

    public DurableTaskClient Client { get; } = host.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>
    /// A started host connects to the backend in the background, which on a busy machine can take
    /// longer than a test's first instant. The window of a credential that does not exist plans
    /// nothing and ends: its completion proves the worker is connected and runs the renewal tasks.
    /// </summary>
    internal async Task UntilReadyAsync()
    {
        using var timeout = new CancellationTokenSource(StartPatience);
        var probe = await Client.ScheduleNewOrchestrationInstanceAsync(RenewalWindowOrchestrator.Name, new RenewalWindowInput("worker-readiness-probe"), timeout.Token);
        await Client.WaitForInstanceCompletionAsync(probe, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}

/// <summary>Sits between the in-memory backend and its dispatcher and notes, per instance, whether its last episode left it asleep.</summary>
internal class EpisodeWatch : OrchestrationServiceProxy
{
    private readonly ConcurrentDictionary<string, bool> _asleep = new();

    public static (IOrchestrationService Service, EpisodeWatch Watch) Wrap(IOrchestrationService inner) => Wrap<EpisodeWatch>(inner);

    public bool IsAsleep(string instanceId) => _asleep.TryGetValue(instanceId, out var asleep) && asleep;

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        // An episode that scheduled a timer and no activity or sub-orchestration has handed the worker nothing more to do.
        if (method!.Name == nameof(IOrchestrationService.CompleteTaskOrchestrationWorkItemAsync)
            && args is [TaskOrchestrationWorkItem item, _, IList<TaskMessage> activities, IList<TaskMessage> orchestrations, IList<TaskMessage> timers, ..])
            _asleep[item.InstanceId] = activities.Count == 0 && orchestrations.Count == 0 && timers.Count > 0;
        var result = Forward(method, args);
        return result is Task<TaskOrchestrationWorkItem> locking ? AwakeAsync(locking) : result;
    }

    /// <summary>Marks the instance awake before the dispatcher can hand its next episode to a worker.</summary>
    private async Task<TaskOrchestrationWorkItem> AwakeAsync(Task<TaskOrchestrationWorkItem> locking)
    {
        var item = await locking;
        if (item is not null) _asleep[item.InstanceId] = false;
        return item!;
    }
}
