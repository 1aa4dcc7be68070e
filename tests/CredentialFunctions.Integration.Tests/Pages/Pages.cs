using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;

namespace CredentialFunctions.Integration.Tests.Pages;

/// <summary>The pages as a browser asks for them, parsed into a DOM; and the programs they show.</summary>
internal static class Pages
{
    public const string LogoPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    public const string ExamUrl = "https://lms.example.org/courses/widgets-101/exam?ref=renewal";
    public const string CreditsUrl = "https://lms.example.org/credits/submit";

    /// <summary>A program with every part the pages print: brand, template with a logo, CE credits and a link for each pathway but one.</summary>
    public static Dictionary<string, object?> BrandedProgram(string layout = "landscape") => Bodies.Program()
        .With("brand", "Widget Board Academy")
        .With("certificateTemplate", new { layout, primaryColor = "#14532D", accentColor = "#8A6D1F", logo = LogoPng })
        .With("renewal", new Dictionary<string, object?>
        {
            ["validity"] = "P1Y",
            ["pathways"] = new[] { "retakeExam", "continuingEducationCredits", "supervisorSignOff" },
            ["requiredCeCredits"] = 10,
            ["creditAttestation"] = "selfAttested",
            ["pathwayLinks"] = new[] { new { pathway = "retakeExam", url = ExamUrl }, new { pathway = "continuingEducationCredits", url = CreditsUrl } },
        });

    public static async Task<(HttpResponseMessage Response, IDocument Page)> GetPageAsync(ApiHost api, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        // What a browser sends.
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", VerificationApiTests.NewClient());
        var response = await api.Client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        return (response, await new HtmlParser().ParseDocumentAsync(html));
    }

    public static async Task<IDocument> GetOkPageAsync(ApiHost api, string path)
    {
        var (response, page) = await GetPageAsync(api, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return page;
    }

    /// <summary>The query of a link as name → value.</summary>
    public static Dictionary<string, string> Query(string href)
        => new Uri(href).Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
}
