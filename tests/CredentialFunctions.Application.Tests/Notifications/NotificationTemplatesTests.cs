using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Tests.Notifications;

public class NotificationTemplatesTests
{
    private const string VerifyLink = "https://credentials.example.org/api/verify/7QXM-2K9D-RH4T-WZ5C";
    private const string RenewLink = "https://credentials.example.org/api/renew/7QXM-2K9D-RH4T-WZ5C";

    private static RenderedEmail Render(NotificationKind kind) => A.Templates().Render(A.Notification(kind));

    [Fact]
    public void Issued_names_the_learner_the_program_the_expiry_and_links_to_verification()
    {
        var email = Render(NotificationKind.Issued);

        Assert.Equal("Your Certified Widgetmaker credential has been issued", email.Subject);
        Assert.StartsWith("Dear Ada Lovelace,\n\nWidget Board has issued your Certified Widgetmaker credential, certificate 7QXM-2K9D-RH4T-WZ5C.", email.TextBody);
        Assert.Contains("valid until 14 March 2027 (UTC)", email.TextBody);
        Assert.Contains(VerifyLink, email.TextBody);
        Assert.Contains($"<a href=\"{VerifyLink}\">", email.HtmlBody);
    }

    [Fact]
    public void Issued_without_an_expiry_says_it_does_not_expire()
    {
        var email = A.Templates().Render(A.Notification(NotificationKind.Issued) with { ExpiresAt = null });

        Assert.Contains("It does not expire.", email.TextBody);
        Assert.DoesNotContain("valid until", email.TextBody);
    }

    [Fact]
    public void Reminder_names_the_days_left_and_each_renewal_pathway()
    {
        var email = Render(NotificationKind.RenewalReminder);

        Assert.Equal("60 days left to renew your Certified Widgetmaker credential", email.Subject);
        Assert.Contains("expires on 14 March 2027 (UTC): 60 days from now.", email.TextBody);
        Assert.Contains(
            "You can renew in any one of these ways:\n\n" +
            "- Retake and pass the exam\n" +
            "- Earn the required continuing-education credits within this certification cycle\n" +
            "- Complete the refresher module\n" +
            "- Have your supervisor sign off that you are still competent\n\n" +
            $"Start your renewal: {RenewLink}",
            email.TextBody);
        Assert.Contains("<ul><li>Retake and pass the exam</li><li>Earn the required", email.HtmlBody);
        Assert.Contains($"<a href=\"{RenewLink}\">Start your renewal</a>", email.HtmlBody);
    }

    [Fact]
    public void Reminder_lists_only_the_programs_pathways_and_says_one_day_in_the_singular()
    {
        var email = A.Templates().Render(A.Notification(NotificationKind.RenewalReminder) with { DaysLeft = 1, RenewalPathways = [RenewalPathway.RefresherModule] });

        Assert.Equal("1 day left to renew your Certified Widgetmaker credential", email.Subject);
        Assert.Contains("To renew:\n\n- Complete the refresher module\n\n", email.TextBody);
        Assert.DoesNotContain("Retake", email.TextBody);
    }

    [Fact]
    public void Reminder_for_a_program_without_pathways_sends_the_learner_to_the_issuer()
    {
        var email = A.Templates().Render(A.Notification(NotificationKind.RenewalReminder) with { RenewalPathways = [] });

        Assert.Contains("Contact Widget Board to arrange your renewal.", email.TextBody);
        Assert.DoesNotContain(RenewLink, email.TextBody);
    }

    [Fact]
    public void Grace_started_gives_the_expiry_the_grace_end_and_how_to_renew()
    {
        var email = Render(NotificationKind.GraceStarted);

        Assert.Equal("Your Certified Widgetmaker credential has expired: renew by 13 April 2027 (UTC)", email.Subject);
        Assert.Contains("expired on 14 March 2027 (UTC).", email.TextBody);
        Assert.Contains("You have a grace period until 13 April 2027 (UTC).", email.TextBody);
        Assert.Contains("- Retake and pass the exam", email.TextBody);
        Assert.Contains(RenewLink, email.TextBody);
    }

    [Fact]
    public void Lapsed_says_verification_now_shows_it_lapsed_and_how_to_be_reinstated()
    {
        var email = Render(NotificationKind.Lapsed);

        Assert.Equal("Your Certified Widgetmaker credential has lapsed", email.Subject);
        Assert.Contains("ended on 13 April 2027 (UTC) without a renewal, so the credential has lapsed. Anyone who verifies it now sees it as lapsed.", email.TextBody);
        Assert.Contains("Widget Board can reinstate it", email.TextBody);
        Assert.Contains(RenewLink, email.TextBody);
    }

    [Fact]
    public void Lapse_follow_up_invites_the_learner_to_reinstate()
    {
        var email = Render(NotificationKind.LapseFollowUp);

        Assert.Equal("Reinstate your Certified Widgetmaker credential", email.Subject);
        Assert.Contains("lapsed on 13 April 2027 (UTC) and is still lapsed.", email.TextBody);
        Assert.Contains(RenewLink, email.TextBody);
    }

    [Fact]
    public void Renewed_gives_the_new_expiry()
    {
        var email = A.Templates().Render(A.Notification(NotificationKind.Renewed) with { ExpiresAt = A.Expiry.AddYears(2) });

        Assert.Equal("Your Certified Widgetmaker credential has been renewed", email.Subject);
        Assert.Contains("is now valid until 14 March 2029 (UTC).", email.TextBody);
        Assert.Contains(VerifyLink, email.TextBody);
    }

    [Fact]
    public void Reinstated_says_the_credential_is_active_again_until_its_expiry()
    {
        var email = Render(NotificationKind.Reinstated);

        Assert.Equal("Your Certified Widgetmaker credential has been reinstated", email.Subject);
        Assert.Contains("Widget Board has reinstated your Certified Widgetmaker credential, certificate 7QXM-2K9D-RH4T-WZ5C. It is active again and valid until 14 March 2027 (UTC).", email.TextBody);
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_kind_has_the_service_footer_in_both_bodies(NotificationKind kind)
    {
        var email = Render(kind);

        const string footer = "You receive this message because you hold a credential issued by Widget Board.";
        Assert.Contains(footer, email.TextBody);
        Assert.Contains(footer, email.HtmlBody);
        Assert.StartsWith("<!DOCTYPE html>", email.HtmlBody);
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_value_from_a_learner_or_a_program_is_HTML_encoded(NotificationKind kind)
    {
        var hostile = A.Notification(kind) with
        {
            LearnerName = "<script>alert(1)</script>",
            ProgramName = "Widgets & <b>Gadgets</b>",
            IssuingOrganization = "\"Board\" <i>",
        };

        var email = A.Templates().Render(hostile);

        Assert.DoesNotContain("<script>", email.HtmlBody);
        Assert.DoesNotContain("<b>", email.HtmlBody);
        Assert.DoesNotContain("<i>", email.HtmlBody);
        Assert.Contains("Dear &lt;script&gt;alert(1)&lt;/script&gt;,", email.HtmlBody);
        Assert.Contains("Widgets &amp; &lt;b&gt;Gadgets&lt;/b&gt;", email.HtmlBody);
        Assert.Contains("Dear <script>alert(1)</script>,", email.TextBody); // plain text is shown as text, never interpreted
    }

    [Fact]
    public void Dates_are_given_in_UTC_whatever_the_offset_they_were_recorded_with()
    {
        var lateInTokyo = new DateTimeOffset(2027, 3, 15, 8, 0, 0, TimeSpan.FromHours(9)); // 14 March, 23:00 UTC

        var email = A.Templates().Render(A.Notification(NotificationKind.Renewed) with { ExpiresAt = lateInTokyo });

        Assert.Contains("valid until 14 March 2027 (UTC)", email.TextBody);
    }

    [Fact]
    public void A_certificate_id_is_escaped_in_links()
    {
        var templates = new NotificationTemplates(new Uri("https://credentials.example.org/base"));

        Assert.Equal("https://credentials.example.org/base/api/verify/A%2FB%3F", templates.VerificationLink("A/B?").AbsoluteUri);
        Assert.Equal("https://credentials.example.org/base/api/renew/A%2FB%3F", templates.RenewalLink("A/B?").AbsoluteUri);
    }

    [Fact]
    public void A_reminder_without_its_days_left_is_refused_rather_than_sent_with_a_blank()
        => Assert.Throws<ArgumentException>(() => A.Templates().Render(A.Notification(NotificationKind.RenewalReminder) with { DaysLeft = null }));

    public static TheoryData<NotificationKind> EveryKind() => [.. Enum.GetValues<NotificationKind>()];
}
