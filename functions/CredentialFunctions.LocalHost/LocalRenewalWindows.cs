using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Renewal;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Worker;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Renewal windows (and cohort runs) for local runs: the same orchestrator and activity classes the
/// Functions app runs, on Durable Task's in-memory backend (<see cref="LocalTaskHub"/>; state lives
/// as long as the process). Its DurableTaskClient is registered in the container, and
/// <see cref="FunctionEndpoints"/> hands it to a function with a [DurableClient] parameter as the
/// Functions host would.
/// </summary>
public static class LocalRenewalWindows
{
    public static IServiceCollection AddLocalRenewalWindows(this IServiceCollection services)
    {
        // A free port, so hosts started side by side (tests) never collide.
        var address = $"http://localhost:{LocalCosmosServer.FreePort()}";
        services.AddSingleton(sp => new InMemoryOrchestrationService(sp.GetService<ILoggerFactory>()));
        // Registered before the worker, so the hub is listening when the worker connects.
        services.AddHostedService(sp => new TaskHubService(address, sp.GetRequiredService<InMemoryOrchestrationService>()));
        services.AddDurableTaskWorker(worker => worker.UseGrpc(address).AddTasks(tasks => tasks.AddRenewalWindowTasks().AddCohortRunTasks()));
        services.AddDurableTaskClient(client => client.UseGrpc(address).RegisterDirectly());
        return services;
    }

    /// <summary>The hub for the host's lifetime.</summary>
    private sealed class TaskHubService(string address, InMemoryOrchestrationService backend) : IHostedService
    {
        private LocalTaskHub? _hub;

        public async Task StartAsync(CancellationToken cancellationToken) => _hub = await LocalTaskHub.StartAsync(address, backend, backend);

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_hub is not null) await _hub.DisposeAsync();
        }
    }
}
