using System.Globalization;
using System.Net;
using System.Text;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Notifications;

/// <summary>A notification as an email: subject, plain text and HTML saying the same thing.</summary>
public sealed record RenderedEmail(string Subject, string TextBody, string HtmlBody);

/// <summary>
/// Words for each <see cref="NotificationKind"/>. Each message is written once as a list of blocks
/// and rendered twice, as plain text and as HTML, so the two bodies cannot drift apart; every value
/// from a learner or a program is HTML-encoded in the HTML body.
/// </summary>
/// <param name="publicBaseUrl">
/// The public address links start from (see <see cref="CredentialLinks"/>): the verification page
/// and the renewal page.
/// </param>
public sealed class NotificationTemplates(Uri publicBaseUrl)
{
    private readonly CredentialLinks _links = new(publicBaseUrl);

    public Uri VerificationLink(string certificateId) => _links.Verification(certificateId);

    public Uri RenewalLink(string certificateId) => _links.Renewal(certificateId);

    public RenderedEmail Render(Notification n)
    {
        var (subject, body) = n.Kind switch
        {
            NotificationKind.Issued => Issued(n),
            NotificationKind.RenewalReminder => RenewalReminder(n),
            NotificationKind.GraceStarted => GraceStarted(n),
            NotificationKind.Lapsed => Lapsed(n),
            NotificationKind.LapseFollowUp => LapseFollowUp(n),
            NotificationKind.Renewed => Renewed(n),
            NotificationKind.Reinstated => Reinstated(n),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, "Unknown notification kind."),
        };
        Block[] blocks = [new Paragraph($"Dear {n.LearnerName},"), .. body, new Footer(FooterText(n))];
        return new RenderedEmail(subject, Text(blocks), Html(subject, blocks));
    }

    private (string, Block[]) Issued(Notification n) => (
        $"Your {n.ProgramName} credential has been issued",
        [
            new Paragraph($"{n.IssuingOrganization} has issued your {n.ProgramName} credential, certificate {n.CertificateId}."),
            new Paragraph(n.ExpiresAt is { } expiry ? $"It is valid until {Date(expiry)}." : "It does not expire."),
            new Link("Anyone you share this link with can check it", VerificationLink(n.CertificateId)),
        ]);

    private (string, Block[]) RenewalReminder(Notification n)
    {
        var days = Required(n.DaysLeft, n, nameof(n.DaysLeft));
        var daysLeft = days == 1 ? "1 day" : $"{days} days";
        return (
            $"{daysLeft} left to renew your {n.ProgramName} credential",
            [
                new Paragraph($"Your {n.ProgramName} credential, certificate {n.CertificateId}, expires on {Date(Required(n.ExpiresAt, n, nameof(n.ExpiresAt)))}: {daysLeft} from now."),
                .. HowToRenew(n),
            ]);
    }

    private (string, Block[]) GraceStarted(Notification n)
    {
        var graceEnd = Date(Required(n.GraceEndsAt, n, nameof(n.GraceEndsAt)));
        return (
            $"Your {n.ProgramName} credential has expired: renew by {graceEnd}",
            [
                new Paragraph($"Your {n.ProgramName} credential, certificate {n.CertificateId}, expired on {Date(Required(n.ExpiresAt, n, nameof(n.ExpiresAt)))}."),
                new Paragraph($"You have a grace period until {graceEnd}. Renew before then and your credential carries on without a break; after that it lapses."),
                .. HowToRenew(n),
            ]);
    }

    private (string, Block[]) Lapsed(Notification n) => (
        $"Your {n.ProgramName} credential has lapsed",
        [
            new Paragraph($"The grace period of your {n.ProgramName} credential, certificate {n.CertificateId}, ended on {Date(Required(n.GraceEndsAt, n, nameof(n.GraceEndsAt)))} without a renewal, so the credential has lapsed. Anyone who verifies it now sees it as lapsed."),
            new Paragraph($"{n.IssuingOrganization} can reinstate it when you complete one of the renewal pathways."),
            .. HowToRenew(n),
        ]);

    private (string, Block[]) LapseFollowUp(Notification n) => (
        $"Reinstate your {n.ProgramName} credential",
        [
            new Paragraph($"Your {n.ProgramName} credential, certificate {n.CertificateId}, lapsed on {Date(Required(n.GraceEndsAt, n, nameof(n.GraceEndsAt)))} and is still lapsed."),
            new Paragraph("It is not too late: complete one of the renewal pathways to have it reinstated."),
            .. HowToRenew(n),
        ]);

    private (string, Block[]) Renewed(Notification n) => (
        $"Your {n.ProgramName} credential has been renewed",
        [
            new Paragraph($"Thank you for renewing. Your {n.ProgramName} credential, certificate {n.CertificateId}, is now valid until {Date(Required(n.ExpiresAt, n, nameof(n.ExpiresAt)))}."),
            new Link("Anyone you share this link with can check it", VerificationLink(n.CertificateId)),
        ]);

    private (string, Block[]) Reinstated(Notification n) => (
        $"Your {n.ProgramName} credential has been reinstated",
        [
            new Paragraph($"{n.IssuingOrganization} has reinstated your {n.ProgramName} credential, certificate {n.CertificateId}. It is active again and valid until {Date(Required(n.ExpiresAt, n, nameof(n.ExpiresAt)))}."),
            new Link("Anyone you share this link with can check it", VerificationLink(n.CertificateId)),
        ]);

    private IEnumerable<Block> HowToRenew(Notification n)
    {
        if (n.RenewalPathways.Count == 0)
        {
            yield return new Paragraph($"Contact {n.IssuingOrganization} to arrange your renewal.");
            yield break;
        }

        yield return new Paragraph(n.RenewalPathways.Count == 1 ? "To renew:" : "You can renew in any one of these ways:");
        yield return new Bullets([.. n.RenewalPathways.Select(Describe)]);
        // Straight to where the learner acts (the buyer's guide: "link directly to the required course or credit submission form").
        foreach (var pathway in n.RenewalPathways)
            if (n.PathwayLinks.FirstOrDefault(l => l.Pathway == pathway) is { } link) yield return new Link(ActOn(pathway), new Uri(link.Url));
        yield return new Link("Start your renewal", RenewalLink(n.CertificateId));
    }

    /// <summary>What a pathway asks of the learner, in the words the emails and the renewal page use.</summary>
    public static string Describe(RenewalPathway pathway) => pathway switch
    {
        RenewalPathway.RetakeExam => "Retake and pass the exam",
        RenewalPathway.ContinuingEducationCredits => "Earn the required continuing-education credits within this certification cycle",
        RenewalPathway.RefresherModule => "Complete the refresher module",
        RenewalPathway.SupervisorSignOff => "Have your supervisor sign off that you are still competent",
        _ => throw new ArgumentOutOfRangeException(nameof(pathway), pathway, "Unknown renewal pathway."),
    };

    /// <summary>The label of a link to where the learner acts on a pathway.</summary>
    public static string ActOn(RenewalPathway pathway) => pathway switch
    {
        RenewalPathway.RetakeExam => "Book the exam",
        RenewalPathway.ContinuingEducationCredits => "Submit your credits",
        RenewalPathway.RefresherModule => "Open the refresher module",
        RenewalPathway.SupervisorSignOff => "Ask your supervisor to sign off",
        _ => throw new ArgumentOutOfRangeException(nameof(pathway), pathway, "Unknown renewal pathway."),
    };

    // Service messages, not marketing: there is nothing to unsubscribe from, and the footer says why
    // the learner gets them instead of offering a link that would silence a lapse warning.
    private static string FooterText(Notification n) =>
        $"You receive this message because you hold a credential issued by {n.IssuingOrganization}. It is about that credential only; we never send marketing to this address.";

    /// <summary>Day, month name and year in UTC: "14 March 2027 (UTC)" reads the same in every country.</summary>
    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) + " (UTC)";

    private static T Required<T>(T? value, Notification n, string field) where T : struct =>
        value ?? throw new ArgumentException($"A {n.Kind} notification needs {field} ({n.DeliveryKey}).", nameof(n));

    private abstract record Block;
    private sealed record Paragraph(string Text) : Block;
    private sealed record Bullets(IReadOnlyList<string> Items) : Block;
    private sealed record Link(string Label, Uri Url) : Block;
    private sealed record Footer(string Text) : Block;

    private static string Text(IEnumerable<Block> blocks) => string.Join("\n\n", blocks.Select(block => block switch
    {
        Paragraph p => p.Text,
        Bullets b => string.Join("\n", b.Items.Select(item => $"- {item}")),
        Link l => $"{l.Label}: {l.Url}",
        Footer f => $"--\n{f.Text}",
        _ => throw new ArgumentOutOfRangeException(nameof(blocks)),
    })) + "\n";

    private static string Html(string subject, IEnumerable<Block> blocks)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(Encode(subject)).Append("</title></head>\n")
            .Append("<body style=\"font-family: sans-serif; line-height: 1.5;\">\n");
        foreach (var block in blocks)
        {
            html.Append(block switch
            {
                Paragraph p => $"<p>{Encode(p.Text)}</p>",
                Bullets b => $"<ul>{string.Concat(b.Items.Select(item => $"<li>{Encode(item)}</li>"))}</ul>",
                Link l => $"<p><a href=\"{Encode(l.Url.AbsoluteUri)}\">{Encode(l.Label)}</a></p>",
                Footer f => $"<hr><p style=\"font-size: small; color: #555;\">{Encode(f.Text)}</p>",
                _ => throw new ArgumentOutOfRangeException(nameof(blocks)),
            }).Append('\n');
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
