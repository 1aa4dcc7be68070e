using CredentialFunctions.LocalHost;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CredentialFunctions.Renewal.Tests.Wiring;

/// <summary>
/// The local task hub runs more activities at once than the machine has cores, as the Functions host
/// does: a cohort run's batches must not queue behind one slot per core.
/// </summary>
public sealed class LocalTaskHubTests
{
    /// <summary>Three activities per core, each waiting until all have started: they can finish only if they all run at once.</summary>
    [Fact]
    public async Task Activities_beyond_one_per_core_run_at_once()
    {
        var width = 3 * Environment.ProcessorCount;
        Assert.True(LocalTaskHub.ActivitiesAtOnce >= width);
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = new InMemoryOrchestrationService();
        var address = $"http://localhost:{LocalCosmosServer.FreePort()}";
        await using var hub = await LocalTaskHub.StartAsync(address, backend, backend);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableTaskWorker(worker => worker.UseGrpc(address).AddTasks(tasks => tasks
            .AddOrchestratorFunc<int, bool[]>("FanOut", (context, n) => Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<bool>("WaitForAll", i))))
            .AddActivityFunc<int, bool>("WaitForAll", async (_, _) =>
            {
                if (Interlocked.Increment(ref started) == width) allStarted.SetResult();
                // Generous for a loaded machine; an activity held back by a full slot never sees the rest start.
                return await Task.WhenAny(allStarted.Task, Task.Delay(TimeSpan.FromMinutes(1))) == allStarted.Task;
            })));
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(address).RegisterDirectly());
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var id = await client.ScheduleNewOrchestrationInstanceAsync("FanOut", width, timeout.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.All(done.ReadOutputAs<bool[]>()!, Assert.True);
        await host.StopAsync();
    }
}
