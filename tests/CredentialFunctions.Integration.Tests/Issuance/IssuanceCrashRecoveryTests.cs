using System.Net;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Issuance;

/// <summary>
/// A pass cut short right after each of its writes (holding, receipt, credential, window) through the
/// local host and the local Cosmos server, for a first issue and for a renewal by retake: the LMS's
/// retry of the event finishes it, and so does the daily sweep when the LMS never retries.
/// </summary>
public sealed class IssuanceCrashRecoveryTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    private const string FirstIssue = "first issue";
    private const string Renewal = "renewal by retake";

    public static TheoryData<string, string> Crashes()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in new[] { FirstIssue, Renewal })
            foreach (var point in Crash.Points) data.Add(path, point);
        return data;
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task A_pass_cut_short_after_any_write_is_finished_by_the_LMS_retrying_the_event(string path, string point)
    {
        await using var run = await Run.StartAsync(cosmos, path);
        var completion = run.Pass();
        run.Crash.Arm(point);
        Assert.Equal(HttpStatusCode.InternalServerError, (await run.DeliverAsync(completion)).Status);

        var retried = await run.DeliverAsync(completion);

        await run.AssertFinishedAsync(retried);
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task A_pass_cut_short_after_any_write_and_never_retried_is_finished_by_the_daily_sweep(string path, string point)
    {
        await using var run = await Run.StartAsync(cosmos, path);
        var completion = run.Pass();
        run.Crash.Arm(point);
        Assert.Equal(HttpStatusCode.InternalServerError, (await run.DeliverAsync(completion)).Status);
        using var invocation = run.Host.Services.CreateScope();
        var sweep = invocation.ServiceProvider.GetRequiredService<IssuanceReconciliation>();

        // A pass decided moments ago may still be on its way: the sweep leaves it to its request.
        Assert.Equal(new IssuanceReconciliationReport(0, 0, 0), await sweep.RunAsync(CancellationToken.None));
        run.Clock.Advance(IssuanceReconciliation.Abandoned + TimeSpan.FromMinutes(1));
        // Only the pending pass is read, not the settled holdings of the other learners.
        Assert.Equal(new IssuanceReconciliationReport(1, 1, 0), await sweep.RunAsync(CancellationToken.None));
        Assert.Equal(new IssuanceReconciliationReport(0, 0, 0), await sweep.RunAsync(CancellationToken.None));

        // The LMS's retry, however late, hears what the sweep finished.
        await run.AssertFinishedAsync(await run.DeliverAsync(completion));
    }

    /// <summary>The crashing host (<see cref="CrashingApi"/>) with two other learners' credentials and, for a renewal, the learner's own in its renewal window.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly CrashingApi _api;
        private string? _heldId;
        private int _credentialsBefore;

        private Run(CrashingApi api) => _api = api;

        public ApiHost Host => _api.Host;
        public FakeTimeProvider Clock => _api.Clock;
        public Crash Crash => _api.Crash;
        public RecordingRenewalWindows Recorded => _api.Recorded;

        public static async Task<Run> StartAsync(CosmosServerFixture cosmos, string path)
        {
            var run = new Run(await CrashingApi.StartAsync(cosmos));
            foreach (var other in new[] { "learner-1", "learner-2" })
                Assert.Equal(HttpStatusCode.Created, (await run.DeliverAsync(run._api.Pass(learner: other))).Status);
            if (path == Renewal)
            {
                var held = await run.DeliverAsync(run._api.Pass(completedAt: run.Clock.GetUtcNow().AddDays(-340)));
                Assert.Equal(HttpStatusCode.Created, held.Status);
                run._heldId = held.CertificateId;
            }
            run._credentialsBefore = await run._api.CredentialCountAsync();
            return run;
        }

        public string Pass() => _api.Pass();

        public Task<(HttpStatusCode Status, string? Action, string? CertificateId)> DeliverAsync(string body) => _api.DeliverAsync(body);

        /// <summary>The pass did all it promised, once: one credential issued or one renewal, a window told, the holding settled, and a later pass told it is held.</summary>
        public async Task AssertFinishedAsync((HttpStatusCode Status, string? Action, string? CertificateId) answer)
        {
            var certificateId = answer.CertificateId!;
            if (_heldId is null)
            {
                Assert.Equal((HttpStatusCode.Created, "issued"), (answer.Status, answer.Action));
                Assert.Equal(_credentialsBefore + 1, await _api.CredentialCountAsync());
                Assert.Contains("start", Recorded.CallsFor(certificateId));
            }
            else
            {
                Assert.Equal((HttpStatusCode.OK, "renewed", _heldId), (answer.Status, answer.Action, certificateId));
                Assert.Equal(_credentialsBefore, await _api.CredentialCountAsync());
                var record = await ApiHost.ReadJsonAsync(await Host.SendAsync(HttpMethod.Get, $"/api/credentials/{certificateId}", role: Role.Auditor));
                Assert.Equal(2, record.GetProperty("cycle").GetInt32());
                Assert.Single(record.GetProperty("renewalHistory").EnumerateArray());
                Assert.Contains("Renewed", Recorded.CallsFor(certificateId));
            }
            var holding = await _api.HoldingAsync();
            Assert.Equal((certificateId, null), (holding?.CertificateId, holding?.Pending));
            Assert.Equal((HttpStatusCode.OK, "alreadyHeld", certificateId), await DeliverAsync(Pass()));
        }

        public ValueTask DisposeAsync() => _api.DisposeAsync();
    }
}
