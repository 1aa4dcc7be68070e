using System.Net;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Integration.Tests.Issuance;

/// <summary>
/// A reinstatement cut short right after taking the learner's holding of the program, or right after
/// writing the credential: the credential holds the program from the first write on, and the program
/// manager's retry, or else the daily sweep, finishes the reinstatement.
/// </summary>
public sealed class ReinstatementCrashRecoveryTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    public static TheoryData<string> Crashes() => [Crash.HoldingWritten, Crash.CredentialWritten];

    private static async Task<(CrashingApi Api, string Revoked)> RevokedAsync(CosmosServerFixture cosmos)
    {
        var api = await CrashingApi.StartAsync(cosmos);
        var revoked = (await api.DeliverAsync(api.Pass())).CertificateId!;
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(revoked, "revocation", "Exam misconduct")).StatusCode);
        return (api, revoked);
    }

    private static async Task AssertReinstatedAndSettledAsync(CrashingApi api, string revoked, int credentials)
    {
        Assert.Equal("active", await api.StateAsync(revoked));
        Assert.Equal((revoked, null, null), (await api.HoldingAsync()) is { } h ? (h.CertificateId, h.Pending, h.Reinstating) : default);
        Assert.Equal(["start", "Revoked", "start"], api.Recorded.CallsFor(revoked));
        Assert.Equal((HttpStatusCode.OK, "alreadyHeld", revoked), await api.DeliverAsync(api.Pass()));
        Assert.Equal(credentials, await api.CredentialCountAsync());
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task A_reinstatement_cut_short_after_either_write_is_finished_by_retrying_it(string point)
    {
        var (api, revoked) = await RevokedAsync(cosmos);
        await using var _ = api;
        var credentials = await api.CredentialCountAsync();
        api.Crash.Arm(point);
        Assert.Equal(HttpStatusCode.InternalServerError, (await api.PostAsync(revoked, "reinstatement", "Appeal upheld")).StatusCode);

        using var retried = await api.PostAsync(revoked, "reinstatement", "Appeal upheld");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await AssertReinstatedAndSettledAsync(api, revoked, credentials);
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task A_reinstatement_cut_short_and_never_retried_holds_the_program_against_a_pass_and_is_finished_by_the_daily_sweep(string point)
    {
        var (api, revoked) = await RevokedAsync(cosmos);
        await using var _ = api;
        var credentials = await api.CredentialCountAsync();
        api.Crash.Arm(point);
        Assert.Equal(HttpStatusCode.InternalServerError, (await api.PostAsync(revoked, "reinstatement", "Appeal upheld")).StatusCode);

        // The reinstatement is bound to finish, so a pass meanwhile issues nothing beside it.
        Assert.Equal((HttpStatusCode.OK, "alreadyHeld", revoked), await api.DeliverAsync(api.Pass()));
        using var invocation = api.Host.Services.CreateScope();
        var sweep = invocation.ServiceProvider.GetRequiredService<IssuanceReconciliation>();
        Assert.Equal(new IssuanceReconciliationReport(0, 0, 0), await sweep.RunAsync(CancellationToken.None));
        api.Clock.Advance(IssuanceReconciliation.Abandoned + TimeSpan.FromMinutes(1));
        Assert.Equal(new IssuanceReconciliationReport(1, 1, 0), await sweep.RunAsync(CancellationToken.None));
        Assert.Equal(new IssuanceReconciliationReport(0, 0, 0), await sweep.RunAsync(CancellationToken.None));

        await AssertReinstatedAndSettledAsync(api, revoked, credentials);
        var record = await ApiHost.ReadJsonAsync(await api.Host.SendAsync(HttpMethod.Get, $"/api/credentials/{revoked}", role: Role.Auditor));
        Assert.Single(record.GetProperty("auditTrail").EnumerateArray(), e => e.GetProperty("action").GetString() == "reinstated");
    }
}
