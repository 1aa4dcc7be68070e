using System.Net;
using System.Text;
using CredentialFunctions.App.Http;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CredentialFunctions.App.Pages;

/// <summary>
/// The shell of the pages people read (verification, renewal, their error pages): one document
/// with its styles inline and images as data URIs, so it loads nothing from elsewhere (its
/// Content-Security-Policy forbids it), reads on a phone, and meets WCAG 2.2 AA: a language,
/// landmarks, one h1, a visible focus ring, and a status said in words as well as colour.
/// Every value is HTML-encoded by <see cref="E"/>; nothing else writes markup from data.
/// </summary>
public static class HtmlPage
{
    public const string ContentType = "text/html; charset=utf-8";

    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>HTML-encoded text (attribute-safe: quotes are encoded too).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// True when the client asks for a page before JSON: a browser's Accept lists text/html, a
    /// script's (curl's */*, or application/json) does not, so JSON stays the answer it was.
    /// </summary>
    public static bool IsWanted(HttpRequest request)
    {
        var html = Math.Max(AcceptHeader.Quality(request, "text/html"), AcceptHeader.Quality(request, "application/xhtml+xml"));
        return html > 0 && html >= AcceptHeader.Quality(request, "application/json");
    }

    /// <param name="meta">Extra head elements (Open Graph tags), already encoded.</param>
    public static TextResponse Render(int status, string title, string brandColor, string header, string main, string meta = "")
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n")
            .Append(meta)
            .Append("<style>").Append(Styles.Replace("{brand}", brandColor, StringComparison.Ordinal)).Append("</style>\n</head>\n<body>\n")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
            .Append("<header>").Append(header).Append("</header>\n")
            .Append("<main id=\"main\">\n").Append(main).Append("</main>\n")
            .Append("</body>\n</html>\n");
        // A status can change any minute (grace, lapse, revocation): never from a cache.
        return new TextResponse(html.ToString(), ContentType, status)
            .WithHeader("Content-Security-Policy", ContentSecurityPolicy)
            .WithHeader(HeaderNames.CacheControl, "no-store")
            .WithHeader(HeaderNames.Vary, "Accept")
            .WithHeader("Referrer-Policy", "no-referrer");
    }

    /// <summary>The page, or the page of the refusal it met (a mistyped or unknown id): a browser shows it, where a problem's JSON would be unreadable.</summary>
    public static async Task<IActionResult> OrRefusalAsync(Func<Task<IActionResult>> page)
    {
        try
        {
            return await page();
        }
        catch (DomainException refusal) when (Problems.FromException(refusal).Status < StatusCodes.Status500InternalServerError)
        {
            return Problem(Problems.FromException(refusal));
        }
    }

    /// <summary>A refusal as a page: the problem's title and what to do, the same words the JSON answer gives.</summary>
    public static TextResponse Problem(Problem problem) => Render(problem.Status, problem.Title, DefaultBrandColor,
        "<p class=\"issuer\">Credential verification</p>",
        $"<h1>{E(problem.Title)}</h1>\n<p>{E(problem.Detail)}</p>\n");

    /// <summary>The header band's colour when a program chose none; white text on it passes AA.</summary>
    public const string DefaultBrandColor = "#1f3a5f";

    /// <summary>The status in words, for the page and its accessible name; the colour only repeats it.</summary>
    public static (string Words, string Explanation, string Class) Describe(CredentialStatus status) => status switch
    {
        CredentialStatus.Active => ("Active", "This credential is valid.", "ok"),
        CredentialStatus.InRenewalWindow => ("Active, renewal due", "This credential is valid; its holder is due to renew it before it expires.", "due"),
        CredentialStatus.InGrace => ("Expired, in grace period", "This credential has expired; its holder is in the grace period to renew it.", "grace"),
        CredentialStatus.Lapsed => ("Lapsed", "This credential expired and was not renewed in time. It is not valid.", "bad"),
        CredentialStatus.Revoked => ("Revoked", "The issuer has revoked this credential. It is not valid.", "bad"),
        CredentialStatus.Suspended => ("Suspended", "The issuer has suspended this credential while a matter is looked into. It is not valid until the suspension is lifted.", "bad"),
        CredentialStatus.Superseded => ("Superseded", "A newer credential has replaced this one. It is no longer valid.", "ended"),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A status without words on the page."),
    };

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);

    // Every colour pair is at least 4.5:1 (text) and 3:1 (borders, focus ring) against its background.
    private const string Styles = """
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1a1a1a;background:#f4f5f7}
        .skip{position:absolute;left:-999px;top:0;background:#fff;color:#1a1a1a;padding:.5rem 1rem}
        .skip:focus{left:0}
        header{background:{brand};color:#fff;padding:1rem}
        header img{max-height:3rem;max-width:12rem;display:block;margin-bottom:.5rem;background:#fff;padding:.25rem}
        header .issuer{margin:0;font-size:1.125rem;font-weight:700}
        header .brand{margin:0}
        main{max-width:42rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem;overflow-wrap:anywhere}
        h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
        .card{background:#fff;border:1px solid #767676;border-radius:.5rem;padding:1rem;margin-bottom:1rem}
        .status{border-left:.5rem solid;padding:.75rem 1rem;margin:0 0 1rem;background:#fff;border-radius:.25rem}
        .status strong{font-size:1.25rem;display:block}
        .status p{margin:.25rem 0 0}
        .ok{border-color:#1b6e2d;color:#14521f;background:#eaf6ec}
        .due{border-color:#8a5a00;color:#5c3c00;background:#fdf4e0}
        .grace{border-color:#a34700;color:#6e2f00;background:#fdeee3}
        .bad{border-color:#b00020;color:#8a0019;background:#fdecee}
        .ended{border-color:#4d4d4d;color:#333;background:#eee}
        dl{margin:0;display:grid;grid-template-columns:minmax(0,1fr);gap:.25rem}
        dt{font-weight:700;margin-top:.5rem}
        dd{margin:0;overflow-wrap:anywhere}
        @media (min-width:40rem){dl{grid-template-columns:12rem minmax(0,1fr)}dt{margin-top:0}}
        ul.actions{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}
        a{color:#0b4f9c}
        a.button{display:inline-block;padding:.625rem 1rem;border:2px solid #0b4f9c;border-radius:.375rem;text-decoration:none;font-weight:700;background:#fff;min-height:44px}
        a.button:hover{background:#e8f0fb}
        a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
        .qr img{width:10rem;height:10rem;image-rendering:pixelated;background:#fff}
        .pathways{padding-left:1.25rem}
        .pathways li{margin-bottom:.75rem}
        .meter{font-weight:700}
        footer,.note{font-size:.875rem;color:#4d4d4d}
        """;
}
