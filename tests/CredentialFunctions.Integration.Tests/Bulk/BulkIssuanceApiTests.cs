using System.Net;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Bulk;

/// <summary>
/// Bulk issuance through the API, run to its end by the host's in-process Durable backend against
/// the local Cosmos server: every learner goes through the issuance path, so the holding, the
/// renewal window and the counts the status route reads all hold.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BulkIssuanceApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    [Fact]
    public async Task A_small_cohort_is_issued_and_its_status_says_so()
    {
        var programId = await _api.CreateProgramAsync();

        var status = await RunToEndAsync(programId, Cohort.Json(Cohort.Learners("small", 10)));

        Assert.Equal((10, 10, 10, 0, 0, true), (status.GetProperty("total").GetInt32(), status.GetProperty("done").GetInt32(), status.GetProperty("issued").GetInt32(),
            status.GetProperty("alreadyHeld").GetInt32(), status.GetProperty("failed").GetInt32(), status.GetProperty("finished").GetBoolean()));
    }

    private async Task<JsonElement> RunToEndAsync(string programId, HttpContent cohort)
    {
        var location = await StartAsync(programId, cohort);
        return await UntilAsync(location, s => s.GetProperty("finished").GetBoolean());
    }

    private async Task<string> StartAsync(string programId, HttpContent cohort)
    {
        var request = _api.Request(HttpMethod.Post, $"/api/programs/{programId}/issuances", role: Role.ProgramManager);
        request.Content = cohort;
        using var response = await _api.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return response.Headers.Location!.ToString();
    }

    /// <summary>Reads the run's status until it says what the test waits for; generous, as two busy cores may take minutes.</summary>
    private async Task<JsonElement> UntilAsync(string location, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            using var response = await _api.SendAsync(HttpMethod.Get, location, role: Role.Auditor);
            var status = await ApiHost.ReadJsonAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (condition(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The run did not get there in time: {status}");
            await Task.Delay(100);
        }
    }
}

/// <summary>Cohorts as a program manager sends them.</summary>
internal static class Cohort
{
    public static List<Dictionary<string, object?>> Learners(string prefix, int count, decimal score = 88) => [.. Enumerable.Range(1, count).Select(i => new Dictionary<string, object?>
    {
        ["externalId"] = $"{prefix}-{i:D6}",
        ["fullLegalName"] = $"Learner {prefix} {i}",
        ["email"] = $"{prefix}.{i}@example.org",
        ["completedAt"] = DateTimeOffset.UtcNow.AddDays(-1),
        ["score"] = score,
        ["cohort"] = "2026-Q4",
    })];

    public static HttpContent Json(IEnumerable<Dictionary<string, object?>> learners) => ApiHost.Json(new { learners });
}
