using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Payments;

namespace CredentialFunctions.Application.Tests.Notifications;

public class ApplicationNoticeTemplatesTests
{
    private const string ApplicationLink = "https://credentials.example.org/applications/app-7QXM2K9DRH";
    private static readonly DateTimeOffset At = new(2027, 3, 14, 9, 30, 0, TimeSpan.Zero);

    private static ApplicationNotice Notice(ApplicationNoticeKind kind) => new(kind, "app-7QXM2K9DRH", "Ada Lovelace", "ada@example.org", "Certified Widgetmaker", At);

    private static RenderedEmail Render(ApplicationNotice notice) => A.Templates().Render(notice);

    [Fact]
    public void Approved_with_a_fee_says_to_pay_it_next_and_links_to_the_application()
    {
        var email = Render(Notice(ApplicationNoticeKind.Approved) with { Fee = new Money(25_000, "USD") });

        Assert.Equal("Your application for Certified Widgetmaker is approved", email.Subject);
        Assert.StartsWith("Dear Ada Lovelace,\n\nYour application for Certified Widgetmaker has been approved.\n\n" +
            "Next, pay the fee of 250.00 USD on your application's page. Once it is paid you are eligible to sit the exam.", email.TextBody);
        Assert.Contains($"Your application: {ApplicationLink}", email.TextBody);
        Assert.Contains($"<a href=\"{ApplicationLink}\">Your application</a>", email.HtmlBody);
    }

    [Fact]
    public void Approved_without_a_fee_says_the_candidate_may_sit_now()
    {
        var email = Render(Notice(ApplicationNoticeKind.Approved));

        Assert.Contains("You are eligible to sit the exam now.", email.TextBody);
        Assert.DoesNotContain("fee", email.TextBody);
    }

    [Theory]
    [InlineData(25_000, "USD", "250.00 USD")]
    [InlineData(1_234_567, "EUR", "12,345.67 EUR")]
    [InlineData(5_000, "JPY", "5,000 JPY")]
    [InlineData(12_500, "KWD", "12.500 KWD")]
    public void A_fee_is_stated_in_the_currencys_own_digits(long minorUnits, string currency, string stated)
    {
        Assert.Contains($"the fee of {stated} on", Render(Notice(ApplicationNoticeKind.Approved) with { Fee = new Money(minorUnits, currency) }).TextBody);
    }

    [Fact]
    public void Rejected_quotes_the_reviewers_reason()
    {
        var email = Render(Notice(ApplicationNoticeKind.Rejected) with { Reason = "The degree is not in a related field" });

        Assert.Equal("Your application for Certified Widgetmaker was not accepted", email.Subject);
        Assert.Contains("was not accepted, for this reason:\n\n> The degree is not in a related field\n\n", email.TextBody);
        Assert.Contains("<blockquote>The degree is not in a related field</blockquote>", email.HtmlBody);
    }

    [Fact]
    public void More_information_quotes_the_question_and_links_to_where_the_candidate_answers()
    {
        var email = Render(Notice(ApplicationNoticeKind.MoreInformationRequested) with { Question = "Which employer were the two years with?" });

        Assert.Equal("Your application for Certified Widgetmaker needs more information", email.Subject);
        Assert.Contains("asks:\n\n> Which employer were the two years with?\n\nAnswer on your application's page; review goes on once you have resubmitted it.\n\n" +
            $"Your application: {ApplicationLink}", email.TextBody);
    }

    [Fact]
    public void A_receipt_states_amount_currency_date_and_references()
    {
        var email = Render(Notice(ApplicationNoticeKind.PaymentReceived) with
        {
            Receipt = new PaymentReceipt(new Money(25_000, "USD"), "app-7QXM2K9DRH-p1", "PO-2026-118", At.AddDays(-1)),
        });

        Assert.Equal("Receipt for your Certified Widgetmaker fee", email.Subject);
        Assert.Contains("- Amount: 250.00 USD\n- Date: 13 March 2027 (UTC)\n- Reference: app-7QXM2K9DRH-p1\n- Your reference: PO-2026-118", email.TextBody);
        Assert.Contains("<li>Amount: 250.00 USD</li>", email.HtmlBody);
    }

    [Fact]
    public void A_receipt_for_a_provider_payment_has_no_payer_reference()
    {
        var email = Render(Notice(ApplicationNoticeKind.PaymentReceived) with { Receipt = new PaymentReceipt(new Money(25_000, "USD"), "app-1-p1", null, At) });

        Assert.DoesNotContain("Your reference", email.TextBody);
    }

    [Fact]
    public void Retake_available_gives_the_attempt_and_the_date()
    {
        var email = Render(Notice(ApplicationNoticeKind.RetakeAvailable) with { Attempt = 2, RetakeFrom = At.AddDays(14) });

        Assert.Equal("You may retake the Certified Widgetmaker exam from 28 March 2027 (UTC)", email.Subject);
        Assert.Contains("Attempt 2 at the Certified Widgetmaker exam did not reach the pass mark.\n\nYou may retake it from 28 March 2027 (UTC).", email.TextBody);
    }

    [Fact]
    public void Attempts_spent_says_a_new_application_is_needed()
    {
        var email = Render(Notice(ApplicationNoticeKind.AttemptsSpent) with { Attempt = 3 });

        Assert.Equal("Your application for Certified Widgetmaker has closed", email.Subject);
        Assert.Contains("Attempt 3 at the Certified Widgetmaker exam did not reach the pass mark, and it was the last this application allows.\n\nTo try again, submit a new application.", email.TextBody);
    }

    [Theory]
    [InlineData(ApplicationNoticeKind.Rejected)]
    [InlineData(ApplicationNoticeKind.MoreInformationRequested)]
    public void A_hostile_reason_or_question_is_encoded_in_the_HTML_and_shown_as_text_in_the_plain_body(ApplicationNoticeKind kind)
    {
        const string hostile = "<script>alert(1)</script> & <a href=\"https://evil.example\">click</a>";
        var email = Render(Notice(kind) with { Reason = hostile, Question = hostile, CandidateName = "<b>Ada</b>", ProgramName = "Widgets & <i>Gadgets</i>" });

        Assert.DoesNotContain("<script>", email.HtmlBody);
        Assert.DoesNotContain("evil.example\">", email.HtmlBody);
        Assert.Contains("<blockquote>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt;</blockquote>", email.HtmlBody);
        Assert.Contains("Dear &lt;b&gt;Ada&lt;/b&gt;,", email.HtmlBody);
        Assert.Contains("<title>Your application for Widgets &amp; &lt;i&gt;Gadgets&lt;/i&gt;", email.HtmlBody);
        Assert.Contains($"> {hostile}", email.TextBody);
    }

    [Fact]
    public void Every_notice_says_why_the_candidate_gets_it_in_both_bodies()
    {
        foreach (var kind in Enum.GetValues<ApplicationNoticeKind>())
        {
            var email = Render(Notice(kind) with
            {
                Reason = "r", Question = "q", Attempt = 1, RetakeFrom = At, Receipt = new PaymentReceipt(new Money(1, "USD"), "p", null, At),
            });
            const string why = "You receive this message because you applied for Certified Widgetmaker (application app-7QXM2K9DRH).";
            Assert.Contains("--\n" + why, email.TextBody);
            Assert.Contains(why, email.HtmlBody);
        }
    }

    [Fact]
    public void A_notice_missing_what_its_kind_states_is_refused_rather_than_sent_half_written()
    {
        Assert.Throws<ArgumentException>(() => Render(Notice(ApplicationNoticeKind.Rejected)));
        Assert.Throws<ArgumentException>(() => Render(Notice(ApplicationNoticeKind.RetakeAvailable) with { Attempt = 1 }));
    }
}
