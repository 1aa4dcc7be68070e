using System.Net;
using System.Text.Json;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Email;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>
/// The whole product on one machine, as the README's walkthrough runs it: the local host with its
/// in-memory Durable backend, the local Cosmos server and a real SMTP server. A program measured in
/// seconds takes a credential from issue through its reminders, grace and lapse, by email.
/// </summary>
public sealed class RenewalCycleEndToEndTests(MailDevFixture maildev) : IClassFixture<MailDevFixture>
{
    [Fact]
    public async Task A_short_programs_credential_is_issued_reminded_graced_lapsed_and_followed_up_by_email_once_each()
    {
        await using var api = await ApiHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = maildev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:SenderAddress"] = "DoNotReply@credentials.test",
        });
        var programId = await api.CreateProgramAsync(Bodies.Program().With("renewal", new Dictionary<string, object?>
        {
            // Seconds apart, with room for a loaded machine: a step planned after its successor fell due is skipped by design.
            ["validity"] = "PT16S", ["reminderOffsets"] = new[] { "PT8S" }, ["renewalWindow"] = "PT8S",
            ["gracePeriod"] = "PT8S", ["lapseFollowUp"] = "PT6S", ["pathways"] = new[] { "retakeExam" },
        }));
        var learner = $"{Guid.NewGuid():N}@example.org";
        var completion = Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddSeconds(-1))
            .With("learner", new { externalId = learner, fullLegalName = "Ada King Lovelace", email = learner });

        var issued = await api.Client.SendAsync(api.SignedLms(JsonSerializer.Serialize(completion, CredentialJson.Options)));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var certificateId = (await ApiHost.ReadJsonAsync(issued)).GetProperty("certificateId").GetString()!;

        // Expiry 16 s after completion, lapse 8 s later, follow-up 6 s after that.
        var inbox = await maildev.WaitForInboxAsync(learner, count: 5, within: TimeSpan.FromSeconds(60));
        Assert.Equal(
            ["has been issued", "left to renew", "has expired", "has lapsed", "Reinstate your"],
            inbox.Select(m => new[] { "has been issued", "left to renew", "has expired", "has lapsed", "Reinstate your" }.Single(m.Subject.Contains)));
        Assert.All(inbox, m => Assert.Contains(certificateId, m.Text));

        // An entry is marked sent after its email has gone, so the record may trail the inbox by a write.
        static List<JsonElement> Sent(JsonElement record) => record.GetProperty("outbox").GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("state").GetString() == "sent").ToList();
        var record = await api.ReadUntilAsync($"/api/credentials/{certificateId}", r => Sent(r).Count(e => e.GetProperty("channel").GetString() == "email") >= 5
            && Sent(r).Count(e => e.GetProperty("channel").GetString() == "events") >= 2);
        Assert.Equal("lapsed", record.GetProperty("state").GetString());
        var sent = Sent(record);
        Assert.Equal(5, sent.Count(e => e.GetProperty("channel").GetString() == "email"));
        // The window's own change, the lapse, published beside the issuance.
        Assert.Equal(["credentials.credential.issued", "credentials.credential.lapsed"], sent.Where(e => e.GetProperty("channel").GetString() == "events").Select(e => e.GetProperty("type").GetString()));
        var verified = await ApiHost.ReadJsonAsync(await api.SendAsync(HttpMethod.Get, $"/api/verify/{certificateId}"));
        Assert.Equal((true, "lapsed"), (verified.GetProperty("authentic").GetBoolean(), verified.GetProperty("status").GetString()));

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(5, (await maildev.InboxAsync(learner)).Count);
    }
}
