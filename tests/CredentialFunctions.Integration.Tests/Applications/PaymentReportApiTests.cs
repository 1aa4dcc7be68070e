using System.Net;
using System.Net.Http.Headers;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Applications;

[Collection(ApiCollection.Name)]
public sealed class PaymentReportApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    /// <summary>An application approved and paid by invoice at <paramref name="paidAt"/>; its id.</summary>
    private async Task<string> PaidAsync(string programId, DateTimeOffset paidAt, string reference)
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var submit = new HttpRequestMessage(HttpMethod.Post, "/api/applications")
        {
            Content = ApiHost.Json(new { programId, pathwayId = "training", fullLegalName = "Grace Hopper", email = "grace@example.org" }),
        };
        submit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.TokenFor(Role.Learner, $"cand-{n}", $"lms:{n}"));
        var id = (await ApiHost.ReadJsonAsync(await _api.Client.SendAsync(submit))).GetProperty("applicationId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/approve", new { }, Role.ProgramManager)).StatusCode);
        var paid = await _api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/payments",
            new { amountMinorUnits = 9_900, currency = "EUR", reference, paidAt }, Role.ProgramManager);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        return id;
    }

    private Task<HttpResponseMessage> ReportAsync(string query, Role role = Role.Finance, string accept = "application/json")
    {
        var request = _api.Request(HttpMethod.Get, $"/api/payments{query}", role: role);
        request.Headers.Accept.ParseAdd(accept);
        return _api.Client.SendAsync(request);
    }

    private static string Range(DateTimeOffset from, DateTimeOffset to) => $"?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";

    [Fact]
    public async Task Finance_lists_the_payments_that_occurred_in_a_range_as_json_and_as_csv()
    {
        var programId = await _api.CreateProgramAsync(Bodies.Program()
            .With("eligibilityPathways", new[] { new { pathwayId = "training", name = "Approved training", documents = Array.Empty<object>() } })
            .With("fee", new { minorUnits = 9_900, currency = "EUR" }));
        var early = await PaidAsync(programId, Now.AddDays(-3), "PO-early");
        var inside = await PaidAsync(programId, Now.AddDays(-1), "PO-inside");
        var range = Range(Now.AddDays(-2), Now);

        var json = await ApiHost.ReadJsonAsync(await ReportAsync(range));
        var csvResponse = await ReportAsync(range, accept: "text/csv");
        var csv = await csvResponse.Content.ReadAsStringAsync();

        var ours = json.GetProperty("payments").EnumerateArray().Where(p => p.GetProperty("programId").GetString() == programId).ToList();
        Assert.Equal([(inside, "PO-inside", "succeeded", "manual", 9_900L, "EUR")], ours.Select(p => (
            p.GetProperty("applicationId").GetString(), p.GetProperty("reference").GetString(), p.GetProperty("kind").GetString(), p.GetProperty("method").GetString(),
            p.GetProperty("amountMinorUnits").GetInt64(), p.GetProperty("currency").GetString())));
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("OccurredAt,Kind,Method,AmountMinorUnits,Currency,ApplicationId,PaymentId", rows[0]);
        Assert.Single(rows, r => r.Contains(inside, StringComparison.Ordinal) && r.Contains(",succeeded,manual,9900,EUR,", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains(early, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "from")]
    [InlineData("?from=yesterday&to=2026-01-01", "from")]
    [InlineData("?from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("?from=2024-01-01&to=2026-01-01", "to")]
    public async Task A_missing_malformed_backwards_or_overlong_range_is_400_naming_the_field(string query, string field)
    {
        var problem = await Problem.AssertAsync(await ReportAsync(query), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData(Role.Learner)]
    [InlineData(Role.ProgramManager)]
    [InlineData(Role.Auditor)]
    public async Task Only_finance_and_administrators_read_the_payments(Role role)
        => await Problem.AssertAsync(await ReportAsync(Range(Now.AddDays(-1), Now), role), HttpStatusCode.Forbidden, "forbidden");
}
