using System.Globalization;
using System.Text;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using Microsoft.AspNetCore.Http;
using static CredentialFunctions.App.Pages.HtmlPage;

namespace CredentialFunctions.App.Pages;

/// <summary>
/// The page every reminder links to: where the credential stands, by when to act, each way the
/// program accepts with what it needs and a link to where the learner does it, and the credits
/// counted so far against the requirement. Reached by the certificate id alone, like the
/// verification page, so it shows nothing more personal than that page does: no email, no
/// external id, no credit activities, only the totals.
/// </summary>
public static class RenewalPage
{
    public static TextResponse Render(PrintedCredential printed, CredentialLinks links)
    {
        var (verified, template) = (printed.Verified, printed.Template);
        if (verified.Credential is not { } c)
            return VerificationPage.Render(printed, links);

        var status = verified.Status!.Value;
        var (words, explanation, css) = Describe(status);
        var main = new StringBuilder()
            .Append($"<h1>Renew your {E(c.Program.Name)} credential</h1>\n")
            .Append($"<div class=\"status {css}\" role=\"status\"><strong>{E(words)}</strong><p>{E(explanation)} {E(WhatToDo(c, status))}</p></div>\n")
            .Append("<section class=\"card\" aria-labelledby=\"deadlines\"><h2 id=\"deadlines\">Deadlines</h2><dl>\n")
            .Append(VerificationPage.Fact("Holder", c.Holder.LegalName))
            .Append(VerificationPage.Fact("Certificate id", c.CertificateId));
        if (c.Schedule is { } s)
            main.Append(VerificationPage.Fact("Renewal opens", Date(s.WindowOpensAt)))
                .Append(VerificationPage.Fact("Expires on", Date(s.ExpiresAt)))
                .Append(VerificationPage.Fact("Grace period ends", Date(s.GraceEndsAt)));
        else
            main.Append(VerificationPage.Fact("Expires on", "Does not expire"));
        main.Append("</dl></section>\n");

        if (!c.HasEnded)
        {
            main.Append("<section class=\"card\" aria-labelledby=\"ways\"><h2 id=\"ways\">Ways to renew</h2>\n");
            if (c.Terms.Pathways.Count == 0) main.Append($"<p>Contact {E(c.Program.IssuingOrganization)} to arrange your renewal.</p>\n");
            else
            {
                main.Append($"<p>{(c.Terms.Pathways.Count == 1 ? "To renew:" : "Any one of these renews your credential:")}</p>\n<ul class=\"pathways\">\n");
                foreach (var pathway in c.Terms.Pathways) main.Append(Pathway(c, pathway));
                main.Append("</ul>\n");
            }
            main.Append("</section>\n");
        }
        main.Append($"<p class=\"note\">Anyone you share it with can check your credential at <a href=\"{E(links.Verification(c.CertificateId).AbsoluteUri)}\">its verification page</a>.</p>\n");
        return HtmlPage.Render(StatusCodes.Status200OK, $"Renew your {c.Program.Name} credential", template.PrimaryColor, VerificationPage.Header(c.Program, template), main.ToString());
    }

    private static string WhatToDo(Credential c, CredentialStatus status) => (status, c.Schedule) switch
    {
        (CredentialStatus.Active, { } s) => $"Renewal opens on {Date(s.WindowOpensAt)} (UTC).",
        (CredentialStatus.Active, null) => "It does not expire: there is nothing to renew.",
        (CredentialStatus.InRenewalWindow, { } s) => $"Renew before {Date(s.ExpiresAt)} (UTC) and the new validity runs on from the old expiry.",
        (CredentialStatus.InGrace, { } s) => $"Renew by {Date(s.GraceEndsAt)} (UTC), or it lapses.",
        (CredentialStatus.Lapsed, _) => $"Complete one of the ways below and {c.Program.IssuingOrganization} can reinstate it.",
        _ => $"It can no longer be renewed. Contact {c.Program.IssuingOrganization} with any question.",
    };

    private static string Pathway(Credential c, RenewalPathway pathway)
    {
        var item = new StringBuilder($"<li><strong>{E(NotificationTemplates.Describe(pathway))}</strong>");
        if (pathway == RenewalPathway.ContinuingEducationCredits && c.Terms.RequiredCeCredits is { } required)
        {
            var credits = c.CreditsThisCycle;
            item.Append($"<br><span class=\"meter\">{E(Number(credits.Counted))} of {E(Number(required))} credits counted this cycle</span>")
                .Append(credits.PendingReview > 0 ? $", {E(Number(credits.PendingReview))} waiting for review" : "")
                .Append($" (credits earned since {E(Date(c.CycleStartedAt))} count).");
        }
        item.Append("<br>")
            .Append(c.Terms.LinkFor(pathway) is { } url
                ? $"<a href=\"{E(url.AbsoluteUri)}\">{E(NotificationTemplates.ActOn(pathway))}</a>"
                : $"Contact {E(c.Program.IssuingOrganization)} to arrange this.")
            .Append("</li>\n");
        return item.ToString();
    }

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
