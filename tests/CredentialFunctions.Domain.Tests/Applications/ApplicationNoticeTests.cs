using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Programs;
using static CredentialFunctions.Domain.Applications.ApplicationStatus;

namespace CredentialFunctions.Domain.Tests.Applications;

/// <summary>Which changes owe the candidate a notice, what it states, and that it is owed in the change's own write, once.</summary>
public class ApplicationNoticeTests
{
    private static readonly DateTimeOffset Later = A.Jan1.AddDays(60);

    /// <summary>The notices <paramref name="change"/> added to the outbox of <paramref name="before"/>.</summary>
    private static IReadOnlyList<ApplicationNotice> Owed(CertificationApplication before, ApplicationChange change)
        => [.. change.Application.Outbox.Entries.Where(e => before.Outbox.Find(e.Key) is null && ApplicationNotice.IsNotice(e)).Select(e => ApplicationNotice.FromPayload(e.Payload!))];

    private static ApplicationNotice OwedOne(CertificationApplication before, ApplicationChange change, ApplicationNoticeKind kind)
    {
        var notice = Assert.Single(Owed(before, change));
        Assert.Equal((kind, "app-1", "Ada Lovelace", "ada@example.org", before.Terms.ProgramName, change.Entry.At),
            (notice.Kind, notice.ApplicationId, notice.CandidateName, notice.CandidateEmail, notice.ProgramName, notice.At));
        return notice;
    }

    [Fact]
    public void An_approval_with_a_fee_owes_a_notice_naming_the_fee_to_pay()
    {
        var submitted = AnApplication.Submitted();
        var notice = OwedOne(submitted, submitted.Approve(Later, "user:pm", "Internal: checked with HR"), ApplicationNoticeKind.Approved);

        Assert.Equal(AnApplication.Fee, notice.Fee);
        Assert.Null(notice.Reason);
    }

    [Fact]
    public void An_approval_without_a_fee_owes_a_notice_with_no_fee_the_candidate_may_sit_at_once()
    {
        var submitted = AnApplication.Submitted(AnApplication.Program(noFee: true));
        var change = submitted.Approve(Later, "user:pm", null);

        Assert.Equal(Eligible, change.Application.Status);
        Assert.Null(OwedOne(submitted, change, ApplicationNoticeKind.Approved).Fee);
    }

    [Fact]
    public void A_rejection_owes_a_notice_with_the_reason()
    {
        var inReview = AnApplication.In(InReview);
        var notice = OwedOne(inReview, inReview.Reject(Later, "user:pm", "The degree is not in a related field"), ApplicationNoticeKind.Rejected);

        Assert.Equal("The degree is not in a related field", notice.Reason);
    }

    [Fact]
    public void A_request_for_information_owes_a_notice_with_the_question()
    {
        var submitted = AnApplication.Submitted();
        var notice = OwedOne(submitted, submitted.RequestInformation(Later, "user:pm", "Which employer were the two years with?"), ApplicationNoticeKind.MoreInformationRequested);

        Assert.Equal("Which employer were the two years with?", notice.Question);
    }

    [Fact]
    public void A_payment_owes_a_receipt_with_the_amount_the_reference_and_the_date_it_was_paid()
    {
        var awaiting = AnApplication.In(AwaitingPayment);
        var paidAt = Later.AddHours(-3);
        var invoice = new PaymentRecord("", PaymentKind.Succeeded, PaymentMethod.Manual, AnApplication.Fee, paidAt, Later, "user:pm", null, null, null, "PO-2026-118");
        var change = awaiting.RecordPayment(invoice);

        var receipt = OwedOne(awaiting, change, ApplicationNoticeKind.PaymentReceived).Receipt!;
        Assert.Equal((AnApplication.Fee, change.Application.Payments[^1].PaymentId, "PO-2026-118", paidAt), (receipt.Amount, receipt.Reference, receipt.PayerReference, receipt.PaidAt));
    }

    [Fact]
    public void A_failed_attempt_with_attempts_left_owes_the_date_a_retake_becomes_possible()
    {
        var eligible = AnApplication.In(Eligible);
        var change = eligible.RecordResult("r-1", 40, Later, Later, "user:pm", null);

        var notice = OwedOne(eligible, change, ApplicationNoticeKind.RetakeAvailable);
        Assert.Equal((1, Later.AddDays(14)), (notice.Attempt, notice.RetakeFrom));
        Assert.Equal(change.Application.RetakeFrom, notice.RetakeFrom);
    }

    [Fact]
    public void The_last_attempt_allowed_failing_owes_a_notice_that_a_new_application_is_needed()
    {
        var eligible = AnApplication.In(Eligible, AnApplication.Program(retake: AnApplication.Retake with { AttemptsAllowed = 1 }));
        var change = eligible.RecordResult("r-1", 40, Later, Later, "user:pm", null);

        Assert.Equal(Closed, change.Application.Status);
        var notice = OwedOne(eligible, change, ApplicationNoticeKind.AttemptsSpent);
        Assert.Equal((1, (DateTimeOffset?)null), (notice.Attempt, notice.RetakeFrom));
    }

    public static TheoryData<string> ChangesTheCandidateIsNotToldOfByTheApplication() =>
    [
        "start review", "resubmit", "attach document", "withdraw", "payment failed", "refund", "pass", "practice test result",
    ];

    [Theory]
    [MemberData(nameof(ChangesTheCandidateIsNotToldOfByTheApplication))]
    public void Every_other_change_owes_no_notice(string what)
    {
        var (before, change) = what switch
        {
            "start review" => Of(AnApplication.Submitted(), a => a.StartReview(Later, "user:pm")),
            "resubmit" => Of(AnApplication.In(MoreInformationRequested), a => a.Resubmit(Later, "user:candidate-1", "Acme Widgets")),
            "attach document" => Of(AnApplication.Submitted(), a => a.AttachDocument(new ApplicationDocument("doc-1", null, "cv.pdf", "pdf", 10, new string('a', 64), Later), "user:candidate-1")),
            "withdraw" => Of(AnApplication.In(AwaitingPayment), a => a.Withdraw(Later, "user:candidate-1", null)),
            "payment failed" => Of(AnApplication.In(AwaitingPayment), a => a.RecordPaymentFailure(AnApplication.Paid(Later, kind: PaymentKind.Failed, eventId: "evt_f"))),
            "refund" => Of(AnApplication.In(Eligible), a => a.RecordRefund(AnApplication.Paid(Later, kind: PaymentKind.Refunded, eventId: "evt_r"))),
            // The credential's own issued email tells of a pass.
            "pass" => Of(AnApplication.In(Eligible), a => a.RecordResult("r-1", 95, Later, Later, "user:pm", "CERT-1")),
            "practice test result" => Of(AnApplication.In(Eligible, AnApplication.Program(kind: CredentialKind.PracticeTest)), a => a.RecordResult("r-1", 10, Later, Later, "user:pm", null)),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        Assert.Empty(Owed(before, change));
        static (CertificationApplication, ApplicationChange) Of(CertificationApplication a, Func<CertificationApplication, ApplicationChange> change) => (a, change(a));
    }

    [Fact]
    public void A_notice_is_owed_in_the_changes_own_write_keyed_by_its_history_entry_and_pending_since_the_change()
    {
        var submitted = AnApplication.Submitted();
        var change = submitted.Reject(Later, "user:pm", "Incomplete");

        var entry = Assert.Single(change.Application.Outbox.Unsent);
        Assert.Equal((ApplicationNotice.OutboxKey(change.Entry), OutboxChannel.Email, "application.Rejected", OutboxState.Pending, (DateTimeOffset?)Later),
            (entry.Key, entry.Channel, entry.Type, entry.State, entry.OwedSince));
        Assert.Equal(entry, submitted.Reject(Later, "user:pm", "Incomplete").Application.Outbox.Unsent.Single());
    }

    [Fact]
    public void A_retried_command_owes_none_twice()
    {
        var approved = AnApplication.Submitted().Approve(Later, "user:pm", null).Application;
        Assert.Throws<IllegalApplicationTransitionException>(() => approved.Approve(Later.AddMinutes(1), "user:pm", null));

        var paid = approved.RecordPayment(AnApplication.Paid(Later, eventId: "evt_once")).Application;
        Assert.True(paid.HasApplied("evt_once")); // the service applies a redelivered payment event no more

        var failed = paid.RecordResult("res-once", 40, Later, Later, "user:pm", null).Application;
        Assert.NotNull(failed.AttemptWith("res-once")); // nor a redelivered result

        Assert.Equal([ApplicationNoticeKind.Approved, ApplicationNoticeKind.PaymentReceived, ApplicationNoticeKind.RetakeAvailable],
            failed.Outbox.Entries.Where(ApplicationNotice.IsNotice).Select(e => ApplicationNotice.FromPayload(e.Payload!).Kind));
        Assert.Equal(failed.Outbox.Entries.Count, failed.Outbox.Add(failed.Outbox.Entries[^1]).Entries.Count);
    }
}
