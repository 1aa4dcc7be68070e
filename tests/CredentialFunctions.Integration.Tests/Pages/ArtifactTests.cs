using System.Net;
using System.Xml.Linq;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using UglyToad.PdfPig;
using static CredentialFunctions.Integration.Tests.Pages.Pages;

namespace CredentialFunctions.Integration.Tests.Pages;

/// <summary>The QR code and the PDF certificate under the verification route, read back as their formats.</summary>
[Collection(ApiCollection.Name)]
public sealed class ArtifactTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", VerificationApiTests.NewClient());
        return await _api.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("?format=png", null, "image/png")]
    [InlineData("?format=svg", null, "image/svg+xml")]
    [InlineData("", "image/svg+xml", "image/svg+xml")]
    [InlineData("", "image/png, image/svg+xml;q=0.5", "image/png")]
    [InlineData("", null, "image/png")]
    public async Task The_QR_code_comes_as_PNG_or_SVG_by_format_or_Accept(string query, string? accept, string mediaType)
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync());

        var response = await GetAsync($"/api/verify/{id}/qr{query}", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (mediaType == "image/png") Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, body[..4]);
        else Assert.Equal("svg", XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Root!.Name.LocalName);
    }

    [Fact]
    public async Task A_QR_code_of_an_unknown_format_or_id_is_refused()
    {
        var id = await _api.IssueAsync(await _api.CreateProgramAsync());
        var neverIssued = Domain.Credentials.CertificateId.FromRandomBytes(Enumerable.Repeat((byte)3, 15).ToArray()).Value;

        var gif = await Problem.AssertAsync(await GetAsync($"/api/verify/{id}/qr?format=gif"), HttpStatusCode.BadRequest, "validation");
        await Problem.AssertAsync(await GetAsync($"/api/verify/{neverIssued}/qr"), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(await GetAsync("/api/verify/not-an-id/pdf"), HttpStatusCode.BadRequest, "malformed-certificate-id");

        Assert.True(gif.GetProperty("errors").TryGetProperty("format", out _));
    }

    [Theory]
    [InlineData("landscape")]
    [InlineData("portrait")]
    public async Task The_PDF_certificate_carries_every_field_and_the_QR_code_in_the_programs_layout(string layout)
    {
        var programId = await _api.CreateProgramAsync(BrandedProgram(layout));
        var id = await _api.IssueAsync(programId, Bodies.Completion(programId, score: 87.5m));

        var response = await GetAsync($"/api/verify/{id}/pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"certificate-{id}.pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var page = Assert.Single(pdf.GetPages());
        Assert.Equal(layout == "portrait", page.Height > page.Width);
        var text = string.Join(" ", page.GetWords().Select(w => w.Text));
        var completedOn = DateTimeOffset.UtcNow.AddMinutes(-5).UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var field in new[] { "Ada King Lovelace", "Certified Widgetmaker", "Widget Board", "Widget Board Academy", completedOn, "87.5 (pass mark 70)", "2.5 CPD", id, "Valid until", $"/api/verify/{id}" })
            Assert.Contains(field, text);
        // The logo and the QR code.
        Assert.Equal(2, page.GetImages().Count());
        Assert.DoesNotContain("ada@example.org", text);
    }
}
