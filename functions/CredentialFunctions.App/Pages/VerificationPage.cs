using System.Text;
using CredentialFunctions.App.Artifacts;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Application.Retention;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.AspNetCore.Http;
using static CredentialFunctions.App.Pages.HtmlPage;

namespace CredentialFunctions.App.Pages;

/// <summary>
/// The verification page a person sees from a link or a QR code: the facts the JSON answer gives
/// (holder, program, issuer, status, dates) in words, and the ways to share and keep the credential.
/// Nothing more personal: no email, no external id, no score. A record failing its tamper check
/// shows none of its facts, only that it cannot be verified.
/// </summary>
public static class VerificationPage
{
    public static TextResponse Render(PrintedCredential printed, CredentialLinks links)
    {
        var (verified, template) = (printed.Verified, printed.Template);
        if (verified.Credential is not { } c)
            return HtmlPage.Render(StatusCodes.Status200OK, "Cannot be verified", DefaultBrandColor,
                "<p class=\"issuer\">Credential verification</p>",
                $"""
                <h1>This credential cannot be verified</h1>
                <div class="status bad" role="status"><strong>Cannot be verified</strong><p>{E(verified.Problem!)}</p></div>
                <p class="note">Certificate {E(verified.CertificateId)}, checked {E(Date(verified.CheckedAt))} (UTC).</p>

                """);

        var status = verified.Status!.Value;
        var (words, explanation, css) = Describe(status);
        var self = links.Verification(c.CertificateId);
        var title = $"{c.Program.Name}: {c.Holder.LegalName}";
        var facts = new StringBuilder()
            .Append(Fact("Holder", c.Holder.LegalName))
            .Append(Fact("Credential", c.Program.Name))
            .Append(Fact("Issued by", c.Program.IssuingOrganization))
            .Append(Fact("Certificate id", c.CertificateId))
            .Append(Fact("Issued on", Date(c.IssuedAt)))
            .Append(Fact(status is CredentialStatus.InGrace or CredentialStatus.Lapsed ? "Expired on" : "Valid until", c.ExpiresAt is { } expiry ? Date(expiry) : "Does not expire"));
        if (status == CredentialStatus.InGrace && c.Schedule is { } schedule) facts.Append(Fact("Grace period ends", Date(schedule.GraceEndsAt)));

        var meta = $"""
            <meta name="description" content="{E($"{c.Program.Name}, issued by {c.Program.IssuingOrganization} to {c.Holder.LegalName}: {words}.")}">
            <meta property="og:type" content="website">
            <meta property="og:title" content="{E(title)}">
            <meta property="og:description" content="{E($"Issued by {c.Program.IssuingOrganization}. Status: {words}.")}">
            <meta property="og:url" content="{E(self.AbsoluteUri)}">
            <meta property="og:image" content="{E(links.QrCode(c.CertificateId, "png").AbsoluteUri)}">
            <meta property="og:site_name" content="{E(c.Program.IssuingOrganization)}">

            """;
        var main = $"""
            <h1>{E(c.Program.Name)}</h1>
            <div class="status {css}" role="status"><strong>{E(words)}</strong><p>{E(explanation)}</p></div>
            <section class="card" aria-labelledby="facts"><h2 id="facts">Credential details</h2><dl>
            {facts}</dl></section>
            <section class="card" aria-labelledby="share"><h2 id="share">Share and download</h2>
            <ul class="actions">
            <li><a class="button" href="{E(links.Pdf(c.CertificateId).AbsoluteUri)}" download>Download PDF</a></li>
            <li><a class="button" href="{E(links.Badge(c.CertificateId).AbsoluteUri)}" download>Download badge</a></li>
            <li><a class="button" href="{E(LinkedIn.AddToProfile(c, self).AbsoluteUri)}" rel="noopener">Add to LinkedIn</a></li>
            </ul></section>
            <section class="card qr" aria-labelledby="scan"><h2 id="scan">Scan to verify</h2>
            <img src="{QrCodes.SvgDataUri(self)}" alt="QR code of this page's address, {E(self.AbsoluteUri)}" width="160" height="160">
            <p class="note">This page is the issuer's record, checked {E(Date(verified.CheckedAt))} (UTC). The badge download is an Open Badges 3.0 credential.</p></section>

            """;
        return HtmlPage.Render(StatusCodes.Status200OK, title, template.PrimaryColor, Header(c.Program, template), main, meta);
    }

    /// <summary>A record removed under retention: that it existed, its dates and when it went; no holder, program or issuer (<see cref="RetainedVerification"/>).</summary>
    public static TextResponse Removed(VerificationResult removed)
    {
        var dates = removed.Removed!;
        var facts = new StringBuilder()
            .Append(Fact("Certificate id", removed.CertificateId))
            .Append(Fact("Issued on", Date(dates.IssuedAt)))
            .Append(Fact("Valid until", dates.ExpiresAt is { } expiry ? Date(expiry) : "Does not expire"))
            .Append(Fact("Ended on", Date(dates.EndedAt)))
            .Append(Fact("Record removed on", Date(dates.RemovedAt)));
        return HtmlPage.Render(StatusCodes.Status200OK, "Record removed", DefaultBrandColor,
            "<p class=\"issuer\">Credential verification</p>",
            $"""
            <h1>This record was removed</h1>
            <div class="status bad" role="status"><strong>Removed under the issuer's retention policy</strong><p>{E(removed.Problem!)}</p></div>
            <section class="card" aria-labelledby="facts"><h2 id="facts">What is kept</h2><dl>
            {facts}</dl></section>
            <p class="note">Checked {E(Date(removed.CheckedAt))} (UTC).</p>

            """);
    }

    /// <summary>The issuer's branding: its logo when the program has one, its name and the program's brand.</summary>
    public static string Header(ProgramReference program, CertificateTemplate template)
        => (template.Logo is { } logo ? $"<img src=\"{E(logo)}\" alt=\"{E(program.IssuingOrganization)} logo\">" : "")
           + $"<p class=\"issuer\">{E(program.IssuingOrganization)}</p>"
           + (program.Brand is { } brand ? $"<p class=\"brand\">{E(brand)}</p>" : "");

    public static string Fact(string term, string value) => $"<dt>{E(term)}</dt><dd>{E(value)}</dd>\n";
}
