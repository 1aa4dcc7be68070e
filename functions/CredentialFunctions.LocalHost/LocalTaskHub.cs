using System.Reflection;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Durable Task's in-memory backend behind its gRPC endpoint, which the local host's worker and
/// client (and the tests' workers) connect to. It runs as many activities at once as the Functions
/// host does by default (<c>maxConcurrentActivityFunctions</c>: 10 per core). The backend's own
/// limit is one per core, and once its slots are all taken it looks for a free one only every
/// 500 ms: a cohort run's batches, queued behind two slots, waited a quarter of a second between
/// batches, and only 1.4 of 2 batches ran on average through a run of 30,000 learners.
/// </summary>
public sealed class LocalTaskHub : IAsyncDisposable
{
    public static readonly int ActivitiesAtOnce = 10 * Environment.ProcessorCount;

    private readonly WebApplication _app;

    private LocalTaskHub(WebApplication app) => _app = app;

    /// <param name="service">The backend's work-item side, as the dispatchers see it (the tests wrap it to watch episodes).</param>
    public static async Task<LocalTaskHub> StartAsync(string address, IOrchestrationService service, IOrchestrationServiceClient client)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(address).ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(ActivityConcurrency.Around(service));
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync();
        return new LocalTaskHub(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The backend as it is, but for how many activities it lets run at once.</summary>
    private class ActivityConcurrency : OrchestrationServiceProxy
    {
        public static IOrchestrationService Around(IOrchestrationService inner) => Wrap<ActivityConcurrency>(inner).Service;

        protected override object? Invoke(MethodInfo? method, object?[]? args)
            => method!.Name == "get_" + nameof(IOrchestrationService.MaxConcurrentTaskActivityWorkItems) ? ActivitiesAtOnce : Forward(method, args);
    }
}
