using System.Globalization;
using System.Net;
using System.Text;
using CredentialFunctions.Application.Links;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Notifications;

/// <summary>A notification as an email: subject, plain text and HTML saying the same thing.</summary>
public sealed record RenderedEmail(string Subject, string TextBody, string HtmlBody);

/// <summary>
/// Words for each <see cref="NotificationKind"/> and <see cref="ApplicationNoticeKind"/>. Each message is written once as a list of blocks
/// and rendered twice, as plain text and as HTML, so the two bodies cannot drift apart; every value
/// from a learner or a program is HTML-encoded in the HTML body.
/// </summary>
/// <param name="publicBaseUrl">
/// The public address links start from (see <see cref="CredentialLinks"/>): the verification page,
/// the renewal page and an application's page.
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

    /// <summary>A notice about an application, to its candidate.</summary>
    public RenderedEmail Render(ApplicationNotice n)
    {
        var (subject, body) = n.Kind switch
        {
            ApplicationNoticeKind.Approved => Approved(n),
            ApplicationNoticeKind.Rejected => Rejected(n),
            ApplicationNoticeKind.MoreInformationRequested => MoreInformationRequested(n),
            ApplicationNoticeKind.PaymentReceived => PaymentReceived(n),
            ApplicationNoticeKind.RetakeAvailable => RetakeAvailable(n),
            ApplicationNoticeKind.AttemptsSpent => AttemptsSpent(n),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, "Unknown application notice kind."),
        };
        Block[] blocks =
        [
            new Paragraph($"Dear {n.CandidateName},"), .. body,
            new Link("Your application", _links.Application(n.ApplicationId)),
            new Footer($"You receive this message because you applied for {n.ProgramName} (application {n.ApplicationId}). It is about that application only; we never send marketing to this address."),
        ];
        return new RenderedEmail(subject, Text(blocks), Html(subject, blocks));
    }

    private static (string, Block[]) Approved(ApplicationNotice n) => (
        $"Your application for {n.ProgramName} is approved",
        [
            new Paragraph($"Your application for {n.ProgramName} has been approved."),
            new Paragraph(n.Fee is { } fee
                ? $"Next, pay the fee of {Amount(fee)} on your application's page. Once it is paid you are eligible to sit the exam."
                : "You are eligible to sit the exam now."),
        ]);

    private static (string, Block[]) Rejected(ApplicationNotice n) => (
        $"Your application for {n.ProgramName} was not accepted",
        [
            new Paragraph($"Your application for {n.ProgramName} was not accepted, for this reason:"),
            new Quote(Required(n.Reason, n, nameof(n.Reason))),
        ]);

    private static (string, Block[]) MoreInformationRequested(ApplicationNotice n) => (
        $"Your application for {n.ProgramName} needs more information",
        [
            new Paragraph($"The reviewer of your application for {n.ProgramName} asks:"),
            new Quote(Required(n.Question, n, nameof(n.Question))),
            new Paragraph("Answer on your application's page; review goes on once you have resubmitted it."),
        ]);

    private static (string, Block[]) PaymentReceived(ApplicationNotice n)
    {
        var receipt = Required(n.Receipt, n, nameof(n.Receipt));
        return (
            $"Receipt for your {n.ProgramName} fee",
            [
                new Paragraph($"Thank you: we received your payment for {n.ProgramName}. You are eligible to sit the exam."),
                new Bullets(
                [
                    $"Amount: {Amount(receipt.Amount)}",
                    $"Date: {Date(receipt.PaidAt)}",
                    $"Reference: {receipt.Reference}",
                    .. receipt.PayerReference is { } yours ? [$"Your reference: {yours}"] : Array.Empty<string>(),
                ]),
            ]);
    }

    private static (string, Block[]) RetakeAvailable(ApplicationNotice n)
    {
        var from = Date(Required(n.RetakeFrom, n, nameof(n.RetakeFrom)));
        return (
            $"You may retake the {n.ProgramName} exam from {from}",
            [
                new Paragraph($"Attempt {Required(n.Attempt, n, nameof(n.Attempt))} at the {n.ProgramName} exam did not reach the pass mark."),
                new Paragraph($"You may retake it from {from}."),
            ]);
    }

    private static (string, Block[]) AttemptsSpent(ApplicationNotice n) => (
        $"Your application for {n.ProgramName} has closed",
        [
            new Paragraph($"Attempt {Required(n.Attempt, n, nameof(n.Attempt))} at the {n.ProgramName} exam did not reach the pass mark, and it was the last this application allows."),
            new Paragraph("To try again, submit a new application."),
        ]);

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

    private static T Required<T>(T? value, ApplicationNotice n, string field) where T : struct =>
        value ?? throw new ArgumentException($"A {n.Kind} notice needs {field} (application {n.ApplicationId}).", nameof(n));

    private static T Required<T>(T? value, ApplicationNotice n, string field) where T : class =>
        value ?? throw new ArgumentException($"A {n.Kind} notice needs {field} (application {n.ApplicationId}).", nameof(n));

    /// <summary>"250.00 USD": the major unit with the currency's own digits, and the ISO code no reader mistakes.</summary>
    private static string Amount(Money money)
        => money.MajorUnits.ToString("N" + money.MinorUnitDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + money.Currency;

    private abstract record Block;
    private sealed record Paragraph(string Text) : Block;
    private sealed record Bullets(IReadOnlyList<string> Items) : Block;
    private sealed record Link(string Label, Uri Url) : Block;
    /// <summary>Someone else's words (a reviewer's reason or question, one line as the domain keeps them), set apart from ours.</summary>
    private sealed record Quote(string Text) : Block;
    private sealed record Footer(string Text) : Block;

    private static string Text(IEnumerable<Block> blocks) => string.Join("\n\n", blocks.Select(block => block switch
    {
        Paragraph p => p.Text,
        Bullets b => string.Join("\n", b.Items.Select(item => $"- {item}")),
        Link l => $"{l.Label}: {l.Url}",
        Quote q => $"> {q.Text}",
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
                Quote q => $"<blockquote>{Encode(q.Text)}</blockquote>",
                Footer f => $"<hr><p style=\"font-size: small; color: #555;\">{Encode(f.Text)}</p>",
                _ => throw new ArgumentOutOfRangeException(nameof(blocks)),
            }).Append('\n');
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
