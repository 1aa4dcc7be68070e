using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CredentialFunctions.Adapters.Payments;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Events;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Cosmos;
using CredentialFunctions.Testing.Email;
using CredentialFunctions.Testing.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialFunctions.Integration.Tests.Applications;

/// <summary>
/// The emails an application owes its candidate, through the app as composed for the local host,
/// over real SMTP into maildev: each decision, payment and failed attempt is exactly one email, and
/// one whose send failed after its write (the mail server was down) is sent by the repair timer, once.
/// </summary>
public sealed class ApplicationEmailApiTests(MailDevFixture maildev, CosmosServerFixture cosmos) : IClassFixture<MailDevFixture>, IClassFixture<CosmosServerFixture>
{
    private const string ApplicationsPage = "http://localhost:7071/applications/";

    /// <param name="smtpPort">Where the mail server is: maildev unless a test takes it down.</param>
    /// <param name="databaseName">A database another host of the test uses too, as two instances of the app share one.</param>
    private Task<ApiHost> StartAsync(int? smtpPort = null, string? databaseName = null, FakeTimeProvider? clock = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = (smtpPort ?? maildev.SmtpPort).ToString(CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:SenderAddress"] = "DoNotReply@credentials.test",
            ["Stripe:SecretKey"] = StripeApi.SecretKey,
            ["Stripe:WebhookSecret"] = StripeApi.WebhookSecret,
        };
        if (databaseName is not null) settings["Cosmos:DatabaseName"] = databaseName;
        return ApiHost.StartAsync(cosmos.Endpoint, settings: settings, overrides: services =>
        {
            if (clock is not null) services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(StripePaymentProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new StripeApi(clock ?? TimeProvider.System));
        });
    }

    private static async Task<string> ProgramAsync(ApiHost host, bool fee = true, int attemptsAllowed = 2) => await host.CreateProgramAsync(Bodies.Program()
        .With("eligibilityPathways", new[] { new { pathwayId = "training", name = "Approved training", documents = Array.Empty<object>() } })
        .With("fee", fee ? new { minorUnits = 25_000, currency = "USD" } : null)
        .With("retake", new { attemptsAllowed, period = "P1Y", waitingPeriod = "P14D" }));

    /// <summary>Submits as a candidate of the test's own, whose address no other test writes to; returns the application id and the address.</summary>
    private static async Task<(string Id, string Address)> SubmitAsync(ApiHost host, string programId)
    {
        var address = $"{Guid.NewGuid():N}@example.org";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications")
        {
            Content = ApiHost.Json(new { programId, pathwayId = "training", fullLegalName = "Ada King Lovelace", email = address }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.Learner, $"cand-{address[..8]}", $"lms:{address[..8]}"));
        using var response = await host.Client.SendAsync(request);
        var json = await ApiHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return (json.GetProperty("applicationId").GetString()!, address);
    }

    private static async Task ReviewAsync(ApiHost host, string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await host.SendAsync(HttpMethod.Post, path, body, Role.ProgramManager);
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The one email <paramref name="address"/> received, after a moment in which a second would have arrived.</summary>
    private async Task<ReceivedEmail> OnlyEmailAsync(string address)
    {
        await maildev.WaitForInboxAsync(address);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return Assert.Single(await maildev.InboxAsync(address));
    }

    private static async Task<OutboxEntry> NoticeEntryAsync(ApiHost host, string id)
        => Assert.Single((await host.Services.GetRequiredService<IApplicationStore>().GetAsync(id, CancellationToken.None))!.Value.Outbox.Entries, ApplicationNotice.IsNotice);

    [Fact]
    public async Task An_approval_is_one_email_telling_the_candidate_to_pay_the_fee_and_a_second_approval_sends_nothing()
    {
        await using var host = await StartAsync();
        var (id, address) = await SubmitAsync(host, await ProgramAsync(host));

        await ReviewAsync(host, $"/api/applications/{id}/approve", new { note = "Internal: transcript checked" });
        await ReviewAsync(host, $"/api/applications/{id}/approve", new { }, HttpStatusCode.Conflict);

        var email = await OnlyEmailAsync(address);
        Assert.Equal("Your application for Certified Widgetmaker is approved", email.Subject);
        Assert.Contains("Dear Ada King Lovelace,", email.Text);
        Assert.Contains("pay the fee of 250.00 USD", email.Text);
        Assert.Contains(ApplicationsPage + id, email.Text);
        Assert.DoesNotContain("Internal", email.Text);
        Assert.Equal(OutboxState.Sent, (await NoticeEntryAsync(host, id)).State);
    }

    [Fact]
    public async Task An_approval_without_a_fee_is_one_email_saying_the_candidate_may_sit()
    {
        await using var host = await StartAsync();
        var (id, address) = await SubmitAsync(host, await ProgramAsync(host, fee: false));

        await ReviewAsync(host, $"/api/applications/{id}/approve", new { });

        Assert.Contains("You are eligible to sit the exam now.", (await OnlyEmailAsync(address)).Text);
    }

    [Fact]
    public async Task A_rejection_is_one_email_with_the_reason_encoded_in_its_HTML()
    {
        await using var host = await StartAsync();
        var (id, address) = await SubmitAsync(host, await ProgramAsync(host));

        await ReviewAsync(host, $"/api/applications/{id}/reject", new { reason = "No <b>related</b> degree & no training" });

        var email = await OnlyEmailAsync(address);
        Assert.Equal("Your application for Certified Widgetmaker was not accepted", email.Subject);
        Assert.Contains("> No <b>related</b> degree & no training", email.Text);
        Assert.Contains("No &lt;b&gt;related&lt;/b&gt; degree &amp; no training", email.Html);
    }

    [Fact]
    public async Task A_request_for_information_is_one_email_with_the_question_and_a_link_to_answer_and_the_answer_sends_nothing()
    {
        await using var host = await StartAsync();
        var (id, address) = await SubmitAsync(host, await ProgramAsync(host));

        await ReviewAsync(host, $"/api/applications/{id}/information-requests", new { question = "Which employer were the two years with?" });
        var candidate = new HttpRequestMessage(HttpMethod.Post, $"/api/applications/{id}/resubmit") { Content = ApiHost.Json(new { answer = "Acme Widgets" }) };
        candidate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.Learner, $"cand-{address[..8]}", $"lms:{address[..8]}"));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(candidate)).StatusCode);

        var email = await OnlyEmailAsync(address);
        Assert.Equal("Your application for Certified Widgetmaker needs more information", email.Subject);
        Assert.Contains("> Which employer were the two years with?", email.Text);
        Assert.Contains($"Your application: {ApplicationsPage}{id}", email.Text);
    }

    [Fact]
    public async Task A_payment_is_one_receipt_with_amount_currency_references_and_date()
    {
        await using var host = await StartAsync();
        var (id, address) = await SubmitAsync(host, await ProgramAsync(host));
        await ReviewAsync(host, $"/api/applications/{id}/approve", new { });
        var paidAt = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-12);

        var payment = new { amountMinorUnits = 25_000, currency = "USD", reference = "PO-2026-118", paidAt };
        await ReviewAsync(host, $"/api/applications/{id}/payments", payment);
        await ReviewAsync(host, $"/api/applications/{id}/payments", payment, HttpStatusCode.Conflict);

        await maildev.WaitForInboxAsync(address, count: 2);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var inbox = await maildev.InboxAsync(address);
        var receipt = Assert.Single(inbox, m => m.Subject == "Receipt for your Certified Widgetmaker fee");
        Assert.Equal(2, inbox.Count); // the approval and the receipt
        Assert.Contains("- Amount: 250.00 USD", receipt.Text);
        Assert.Contains($"- Date: {paidAt.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} (UTC)", receipt.Text);
        Assert.Contains($"- Reference: {id}-p1", receipt.Text);
        Assert.Contains("- Your reference: PO-2026-118", receipt.Text);
    }

    [Fact]
    public async Task A_Stripe_payment_delivered_twice_is_one_receipt()
    {
        await using var host = await StartAsync();
        var (id, address) = await SubmitAsync(host, await ProgramAsync(host));
        await ReviewAsync(host, $"/api/applications/{id}/approve", new { });
        var paidAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        var completed = StripeEvents.CheckoutSessionCompleted("evt_1Receipt", id, new Money(25_000, "USD"), paidAt);

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/payments/stripe") { Content = new StringContent(completed, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeEvents.Sign(completed, StripeApi.WebhookSecret, DateTimeOffset.UtcNow));
            using var delivered = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        await maildev.WaitForInboxAsync(address, count: 2);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var inbox = await maildev.InboxAsync(address);
        Assert.Equal(2, inbox.Count); // the approval and one receipt
        var receipt = Assert.Single(inbox, m => m.Subject == "Receipt for your Certified Widgetmaker fee");
        Assert.Contains($"- Reference: {id}-p1", receipt.Text);
        Assert.DoesNotContain("Your reference", receipt.Text);
    }

    [Fact]
    public async Task A_failed_attempt_is_one_email_with_the_retake_date_and_the_last_one_says_a_new_application_is_needed()
    {
        await using var host = await StartAsync();
        var (id, address) = await SubmitAsync(host, await ProgramAsync(host, fee: false, attemptsAllowed: 2));
        await ReviewAsync(host, $"/api/applications/{id}/approve", new { });
        var takenAt = DateTimeOffset.UtcNow.AddDays(-20);

        await ReviewAsync(host, $"/api/applications/{id}/results", new { score = 40, takenAt, resultId = "res-1" });
        await ReviewAsync(host, $"/api/applications/{id}/results", new { score = 40, takenAt, resultId = "res-1" }); // the provider delivers it again

        var inbox = await maildev.WaitForInboxAsync(address, count: 2);
        var retakeFrom = takenAt.AddDays(14).UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) + " (UTC)";
        var retake = Assert.Single(inbox, m => m.Subject.StartsWith("You may retake", StringComparison.Ordinal));
        Assert.Equal($"You may retake the Certified Widgetmaker exam from {retakeFrom}", retake.Subject);
        Assert.Contains("Attempt 1 at the Certified Widgetmaker exam did not reach the pass mark.", retake.Text);

        await ReviewAsync(host, $"/api/applications/{id}/results", new { score = 45, takenAt = takenAt.AddDays(15), resultId = "res-2" });

        inbox = await maildev.WaitForInboxAsync(address, count: 3);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(3, (await maildev.InboxAsync(address)).Count); // approval, retake date, closed: nothing twice
        var closed = Assert.Single(inbox, m => m.Subject == "Your application for Certified Widgetmaker has closed");
        Assert.Contains("To try again, submit a new application.", closed.Text);
    }

    [Fact]
    public async Task An_email_whose_send_failed_after_the_write_is_sent_by_the_repair_timer_once()
    {
        var databaseName = "test-" + Guid.NewGuid().ToString("N")[..12];
        string id, address;
        // The mail server is down when the candidate is rejected: nothing listens on the port.
        await using (var down = await StartAsync(smtpPort: LocalCosmosServer.FreePort(), databaseName: databaseName))
        {
            (id, address) = await SubmitAsync(down, await ProgramAsync(down));
            await ReviewAsync(down, $"/api/applications/{id}/reject", new { reason = "Incomplete" });
            Assert.Equal((OutboxState.Failed, 1), ((await NoticeEntryAsync(down, id)).State, (await NoticeEntryAsync(down, id)).Attempts));
        }

        // Later, on another instance of the app with the mail server up.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var up = await StartAsync(databaseName: databaseName, clock: clock);
        var repair = up.Services.GetRequiredService<EventRepair>();
        Assert.Equal(new EventRepairReport(0, 0), await repair.RunAsync(CancellationToken.None)); // still settling
        clock.Advance(EventRepair.Settle + TimeSpan.FromSeconds(1));
        Assert.Equal(new EventRepairReport(1, 0), await repair.RunAsync(CancellationToken.None));
        Assert.Equal(new EventRepairReport(0, 0), await repair.RunAsync(CancellationToken.None));

        var email = await OnlyEmailAsync(address);
        Assert.Equal("Your application for Certified Widgetmaker was not accepted", email.Subject);
        Assert.Contains("> Incomplete", email.Text);
        Assert.Equal((OutboxState.Sent, 2), ((await NoticeEntryAsync(up, id)).State, (await NoticeEntryAsync(up, id)).Attempts));
    }
}
