using System.Net;
using CredentialFunctions.Application.Issuance;
using CredentialFunctions.Testing.Cosmos;

namespace CredentialFunctions.Integration.Tests.Issuance;

/// <summary>
/// Two deliveries of one LMS event around a revocation can decide differently: the first, before it,
/// that the learner already holds the program; the second, after it, to issue a new credential,
/// pending on the holding. Whichever receipt is written first is what the event did. A third event's
/// pass that meets the pending one must not answer with a certificate id that is then never issued.
/// </summary>
public sealed class PendingPassAnswerTests(CosmosServerFixture cosmos) : IClassFixture<CosmosServerFixture>
{
    /// <summary>
    /// The first delivery of <paramref name="eventId"/> decides alreadyHeld and is held before its receipt;
    /// the credential is revoked; the second delivery decides to issue and dies right after writing the holding.
    /// </summary>
    private static async Task<(string Revoked, string Pending, Task<(HttpStatusCode, string?, string?)> FirstDelivery)> TwoDecisionsAsync(CrashingApi api, string eventId)
    {
        var revoked = (await api.DeliverAsync(api.Pass())).CertificateId!;
        api.Gate.Hold(IssuanceService.ReceiptKey(eventId));
        var first = api.DeliverAsync(api.Pass(eventId));
        await api.Gate.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(revoked, "revocation", "Exam misconduct")).StatusCode);
        api.Crash.Arm(Crash.HoldingWritten);
        Assert.Equal(HttpStatusCode.InternalServerError, (await api.DeliverAsync(api.Pass(eventId))).Status);
        var pending = (await api.HoldingAsync())?.Pending;
        Assert.Equal((eventId, CompletionAction.Issued), (pending?.Completion.EventId, pending?.Action));
        return (revoked, pending!.CertificateId!, first);
    }

    [Fact]
    public async Task A_pass_told_another_event_holds_the_program_names_a_credential_that_is_then_issued()
    {
        await using var api = await CrashingApi.StartAsync(cosmos);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");
        var (_, pending, firstDelivery) = await TwoDecisionsAsync(api, eventId);

        var answer = await api.DeliverAsync(api.Pass());
        api.Gate.Release();
        var first = await firstDelivery.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((HttpStatusCode.OK, "alreadyHeld", pending), answer);
        // The event's receipt was fixed by the pass that met it pending, so its held-up delivery answers that.
        Assert.Equal(("issued", pending), (first.Item2, first.Item3));
        Assert.Equal("active", await api.StateAsync(pending));
        Assert.Equal((pending, null), (await api.HoldingAsync()) is { } h ? (h.CertificateId, h.Pending) : default);
    }

    [Fact]
    public async Task A_pass_meeting_another_event_s_pending_pass_that_its_receipt_voided_issues_the_credential_itself()
    {
        await using var api = await CrashingApi.StartAsync(cosmos);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");
        var (revoked, pending, firstDelivery) = await TwoDecisionsAsync(api, eventId);
        // The held-up delivery writes its receipt (alreadyHeld) and dies before clearing the other delivery's pass.
        api.Crash.Arm(Crash.ReceiptWritten);
        api.Gate.Release();
        Assert.Equal(HttpStatusCode.InternalServerError, (await firstDelivery.WaitAsync(TimeSpan.FromSeconds(60))).Item1);
        var credentials = await api.CredentialCountAsync();

        var (status, action, issued) = await api.DeliverAsync(api.Pass());

        Assert.Equal((HttpStatusCode.Created, "issued"), (status, action));
        Assert.NotEqual(pending, issued);
        Assert.Null(await api.StateAsync(pending));
        Assert.Equal(("revoked", "active"), (await api.StateAsync(revoked), await api.StateAsync(issued!)));
        Assert.Equal(credentials + 1, await api.CredentialCountAsync());
        Assert.Equal((HttpStatusCode.OK, "alreadyHeld", revoked), await api.DeliverAsync(api.Pass(eventId)));
    }
}
