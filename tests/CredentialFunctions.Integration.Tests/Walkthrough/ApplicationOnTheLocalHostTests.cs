using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CredentialFunctions.Adapters.Access;
using CredentialFunctions.App.Functions;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Api;
using CredentialFunctions.Testing.Payments;

namespace CredentialFunctions.Integration.Tests.Walkthrough;

/// <summary>
/// An application from submission to a verifiable credential on the real local host, over HTTP,
/// signed with the local settings' keys as a developer's front end, Stripe and the exam provider
/// would be: apply → upload → review and approve → pay → pass → verify, and the events published.
/// </summary>
public sealed class ApplicationOnTheLocalHostTests
{
    [Fact]
    public async Task A_candidate_applies_uploads_a_PDF_is_approved_pays_through_Stripe_passes_the_exam_and_the_credential_verifies()
    {
        var local = LocalHostBuilder.FunctionsLocalSettings();
        // Stripe has no development keys: a developer sets their test-mode keys, as this test does.
        await using var host = await LocalHostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Stripe__SecretKey"] = StripeApi.SecretKey,
            ["Stripe__WebhookSecret"] = StripeApi.WebhookSecret,
        });
        using var http = new HttpClient(new DescribedAnswersOnly(ApiHost.Contract) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = host.BaseAddress };
        var access = new AccessOptions { Audience = local["Access:Audience"]!, DevelopmentSigningKey = local["Access:DevelopmentSigningKey"] };
        var candidate = Applicant.New();
        string Token(Role role, string subject = "local-reviewer", string? learnerId = null)
            => BearerTokenAuthenticator.MintDevelopmentToken(access, subject, [role], learnerId, TimeSpan.FromHours(1));
        async Task<JsonElement> SendAsync(HttpMethod method, string path, string token, HttpContent? content, HttpStatusCode expected)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {body}\n{host.Output}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        var reviewer = Token(Role.ProgramManager);
        var candidateToken = Token(Role.Learner, candidate.Subject, candidate.LearnerId);

        var programId = (await SendAsync(HttpMethod.Post, "/api/programs", reviewer, ApiHost.Json(Applicants.Program()), HttpStatusCode.Created)).GetProperty("programId").GetString();
        var applicationId = (await SendAsync(HttpMethod.Post, "/api/applications", candidateToken,
            ApiHost.Json(new { programId, pathwayId = Applicants.PathwayId, fullLegalName = "Ada King Lovelace", email = "ada@example.org" }), HttpStatusCode.Created))
            .GetProperty("applicationId").GetString()!;

        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var uploaded = await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/documents?fileName=degree.pdf&requirement={Uri.EscapeDataString(Applicants.RequiredDocument)}",
            candidateToken, new ByteArrayContent(pdf) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }, HttpStatusCode.Created);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), uploaded.GetProperty("history").EnumerateArray().Last().GetProperty("details").GetProperty("sha256").GetString());

        await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/review", reviewer, null, HttpStatusCode.OK);
        var approved = await SendAsync(HttpMethod.Post, $"/api/applications/{applicationId}/approve", reviewer, ApiHost.Json(new { note = "Degree checked" }), HttpStatusCode.OK);
        Assert.Equal("awaitingPayment", approved.GetProperty("status").GetString());

        var now = DateTimeOffset.UtcNow;
        var stripeEvent = StripeEvents.CheckoutSessionCompleted("evt_1RlHfZR7UUImIKwkLocalE2E", applicationId, new Money(25_000, "USD"), now);
        using (var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/payments/stripe") { Content = new StringContent(stripeEvent, Encoding.UTF8, "application/json") })
        {
            delivery.Headers.TryAddWithoutValidation(PaymentWebhookFunctions.StripeSignatureHeader, StripeEvents.Sign(stripeEvent, StripeApi.WebhookSecret, now));
            using var paid = await http.SendAsync(delivery);
            var answer = await ApiHost.ReadJsonAsync(paid);
            Assert.True(paid.StatusCode == HttpStatusCode.OK, $"{answer}\n{host.Output}");
            Assert.Equal("eligible", answer.GetProperty("status").GetString());
        }

        var result = JsonSerializer.Serialize(new { resultId = "exr-local-1", applicationId, score = 88, takenAt = now.AddMinutes(-1) }, CredentialJson.Options);
        using var passedResponse = await http.SendAsync(ApiHost.Signed("/api/webhooks/exams/results", result, local["Webhooks:Exams:SigningSecret"]!));
        var passed = await ApiHost.ReadJsonAsync(passedResponse);
        Assert.True(passedResponse.StatusCode == HttpStatusCode.OK, $"{passed}\n{host.Output}");
        Assert.Equal("issued", passed.GetProperty("status").GetString());
        var certificateId = passed.GetProperty("certificateId").GetString()!;

        var verified = await ApiHost.ReadJsonAsync(await http.GetAsync($"/api/verify/{certificateId}"));
        Assert.Equal((true, "active", "Ada King Lovelace"), (verified.GetProperty("authentic").GetBoolean(), verified.GetProperty("status").GetString(), verified.GetProperty("holderName").GetString()));

        var events = await PublishedAsync(host, e => e.Subject == $"credentials/{certificateId}" && e.Type == EventTypes.CredentialIssued);
        Assert.Equal([EventTypes.PaymentSucceeded], events.Where(e => e.Subject == $"applications/{applicationId}").Select(e => e.Type));
        Assert.Single(events, e => e.Subject == $"credentials/{certificateId}" && e.Type == EventTypes.CredentialIssued);
        Assert.Equal("provider", JsonDocument.Parse(File.ReadLines(host.EventLogPath).First(l => l.Contains(EventTypes.PaymentSucceeded, StringComparison.Ordinal)))
            .RootElement.GetProperty("data").GetProperty("method").GetString());
    }

    private sealed record Published(string Subject, string Type);

    /// <summary>The events in the host's log once one matching <paramref name="awaited"/> is there (each is appended right after its write).</summary>
    private static async Task<IReadOnlyList<Published>> PublishedAsync(LocalHostProcess host, Func<Published, bool> awaited)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var events = File.Exists(host.EventLogPath)
                ? File.ReadAllLines(host.EventLogPath).Select(l => JsonDocument.Parse(l).RootElement)
                    .Select(e => new Published(e.GetProperty("subject").GetString()!, e.GetProperty("type").GetString()!)).ToList()
                : [];
            if (events.Any(awaited)) return events;
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"The awaited event was not published; the log holds {string.Join(", ", events)}.\n{host.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
