using CredentialFunctions.Adapters;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Outbox;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.LocalHost;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
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
    private readonly IHost _sidecar;

    private InMemoryDurableBackend(IHost sidecar, string address)
    {
        _sidecar = sidecar;
        Address = address;
    }

    public string Address { get; }

    /// <param name="observe">Wraps the backend's work-item side, e.g. to count history events (the benchmark).</param>
    public static async Task<InMemoryDurableBackend> StartAsync(Func<IOrchestrationService, IOrchestrationService>? observe = null)
    {
        var service = new InMemoryOrchestrationService();
        var address = $"http://localhost:{LocalCosmosServer.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(address).ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(observe?.Invoke(service) ?? service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync();
        return new InMemoryDurableBackend(app, address);
    }

    /// <summary>A worker process: the app's renewal orchestrator and activities over the given store and sender, and a client.</summary>
    public async Task<RenewalWorker> StartWorkerAsync(ICredentialStore store, INotificationSender sender)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(sender);
        builder.Services.AddSingleton<CredentialUpdater>();
        builder.Services.AddSingleton<IIdSource, RandomIdSource>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IOutboxTransport, EmailOutbox>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddSingleton<RenewalWindowSteps>();
        builder.Services.AddDurableTaskWorker(worker => worker
            .UseGrpc(Address)
            .AddTasks(tasks => tasks.AddOrchestrator<RenewalWindowOrchestrator>().AddActivity<PlanRenewalStep>().AddActivity<TakeRenewalStep>()));
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(Address).RegisterDirectly());
        var host = builder.Build();
        await host.StartAsync();
        return new RenewalWorker(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _sidecar.StopAsync();
        _sidecar.Dispose();
    }
}

public sealed class RenewalWorker(IHost host) : IAsyncDisposable
{
    public DurableTaskClient Client { get; } = host.Services.GetRequiredService<DurableTaskClient>();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
