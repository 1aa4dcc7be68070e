using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Renewal;
using Microsoft.DurableTask.Testing;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Renewal windows (and cohort runs) for local runs: the same orchestrator and activity classes the
/// Functions app runs, on Durable Task's in-memory backend (state lives as long as the process). Its
/// DurableTaskClient is registered in the container, and <see cref="FunctionEndpoints"/> hands it to
/// a function with a [DurableClient] parameter as the Functions host would.
/// </summary>
public static class LocalRenewalWindows
{
    public static IServiceCollection AddLocalRenewalWindows(this IServiceCollection services)
    {
        services.AddInMemoryDurableTask(
            tasks => tasks.AddRenewalWindowTasks().AddCohortRunTasks(),
            // A free port rather than the package's random pick, so hosts started side by side (tests) never collide.
            new InMemoryDurableTaskOptions { Port = LocalCosmosServer.FreePort() });
        return services;
    }
}
