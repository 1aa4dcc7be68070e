using System.Net;
using CredentialFunctions.Adapters.Durable;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Renewal.Tests.Issuance;

/// <summary>
/// Through the local host as a person runs it: the LMS webhook's [DurableClient] is the in-memory
/// Durable backend's client, which reaches IssuanceService through the request's
/// DurableClientAccessor, and issuing a credential that expires starts its renewal window.
/// </summary>
public sealed class IssuanceStartsTheWindowTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    [Fact]
    public async Task An_issued_credential_that_expires_gets_one_running_window_however_often_the_LMS_delivers_it()
    {
        await using var host = await ApiHost.StartAsync(cosmos.Endpoint);
        var program = Bodies.Program(validity: "PT1H").With("renewal", new Dictionary<string, object?>
        {
            ["validity"] = "PT1H", ["reminderOffsets"] = new[] { "PT20M" }, ["renewalWindow"] = "PT20M", ["pathways"] = new[] { "retakeExam" },
        });
        var created = await host.SendAsync(HttpMethod.Post, "/api/programs", program, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var programId = (await ApiHost.ReadJsonAsync(created)).GetProperty("programId").GetString()!;
        var completion = await ApiHost.Json(Bodies.Completion(programId)).ReadAsStringAsync();

        var first = await host.Client.SendAsync(host.SignedLms(completion));
        var again = await host.Client.SendAsync(host.SignedLms(completion));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        var certificateId = (await ApiHost.ReadJsonAsync(first)).GetProperty("certificateId").GetString()!;
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        // Generous: the start is immediate, but a loaded machine may take long to schedule it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var window = await client.WaitForInstanceStartAsync(DurableRenewalWindows.InstanceId(certificateId), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Running, window.RuntimeStatus);
        Assert.Single(await client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "renewal-" }).ToListAsync());
    }
}
