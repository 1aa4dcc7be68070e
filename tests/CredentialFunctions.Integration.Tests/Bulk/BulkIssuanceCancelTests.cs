using System.Net;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Adapters.Durable;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Bulk;

/// <summary>
/// Cancelling a run in progress, on a host of its own whose runs take one batch at a time, so the
/// batches still to start when the cancel lands are known: all but the one running.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BulkIssuanceCancelTests(ApiFixture fixture) : IAsyncLifetime
{
    private ApiHost _api = null!;

    public async Task InitializeAsync() => _api = await ApiHost.StartAsync(fixture.Host.CosmosEndpoint, overrides: services =>
    {
        services.AddSingleton<IRenewalWindows>(new RecordingRenewalWindows());
        services.AddScoped<ICohortRunProcess>(sp => new OneBatchAtATime(new DurableCohortRuns(sp.GetRequiredService<DurableTaskClient>())));
    });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Cancel_stops_the_batches_not_yet_started_and_the_one_running_finishes()
    {
        var programId = await _api.CreateProgramAsync();
        var request = _api.Request(HttpMethod.Post, $"/api/programs/{programId}/issuances", role: Role.ProgramManager);
        request.Content = Cohort.Json(Cohort.Learners("cancel", 4 * CohortIntake.BatchSize));
        using var started = await _api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();
        var runId = location.Split('/')[^1];
        // The first batch is issuing: the second cannot start before its 250 learners are done.
        await UntilAsync(async () => await _api.CountAsync(CosmosLayout.Credentials) > 0);

        using var cancel = await _api.SendAsync(HttpMethod.Post, $"/api/programs/{programId}/issuances/{runId}/cancel", role: Role.ProgramManager);
        var cancelling = await ApiHost.ReadJsonAsync(cancel);
        var status = await _api.ReadUntilAsync(location, s => s.GetProperty("finished").GetBoolean());

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, cancelling.GetProperty("cancelRequestedAt").ValueKind);
        Assert.False(cancelling.GetProperty("finished").GetBoolean());
        Assert.Equal(CohortIntake.BatchSize, status.GetProperty("done").GetInt32());
        Assert.Equal(CohortIntake.BatchSize, status.GetProperty("issued").GetInt32());
        Assert.Equal(3 * CohortIntake.BatchSize, status.GetProperty("cancelled").GetInt32());
        Assert.Equal(CohortIntake.BatchSize, await _api.CountAsync(CosmosLayout.Credentials));
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The run never started issuing.");
            await Task.Delay(20);
        }
    }

    /// <summary>The app's process, with the run's parallelism set to one batch.</summary>
    private sealed class OneBatchAtATime(ICohortRunProcess inner) : ICohortRunProcess
    {
        public Task StartAsync(CohortRunInput input, CancellationToken cancellationToken) => inner.StartAsync(input with { Parallelism = 1 }, cancellationToken);
    }
}
