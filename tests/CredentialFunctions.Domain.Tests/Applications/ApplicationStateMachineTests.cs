using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Events;
using CredentialFunctions.Domain.Payments;
using static CredentialFunctions.Domain.Applications.ApplicationAction;
using static CredentialFunctions.Domain.Applications.ApplicationStatus;

namespace CredentialFunctions.Domain.Tests.Applications;

public class ApplicationStateMachineTests
{
    /// <summary>
    /// The application flow of spec C2 written out independently of the state machine's table: every
    /// legal (state, action) and where it leads. A pass from a state that allows results here is a
    /// passing score (issued); a failing score is covered by the retake tests below.
    /// </summary>
    private static readonly Dictionary<(ApplicationStatus, ApplicationAction), ApplicationStatus> Legal = new()
    {
        [(Submitted, StartReview)] = InReview,
        [(Submitted, Approve)] = AwaitingPayment,
        [(Submitted, Reject)] = Rejected,
        [(Submitted, RequestInformation)] = MoreInformationRequested,
        [(Submitted, AttachDocument)] = Submitted,
        [(Submitted, Withdraw)] = Withdrawn,
        [(InReview, Approve)] = AwaitingPayment,
        [(InReview, Reject)] = Rejected,
        [(InReview, RequestInformation)] = MoreInformationRequested,
        [(InReview, AttachDocument)] = InReview,
        [(InReview, Withdraw)] = Withdrawn,
        [(MoreInformationRequested, Resubmit)] = Submitted,
        [(MoreInformationRequested, Reject)] = Rejected,
        [(MoreInformationRequested, AttachDocument)] = MoreInformationRequested,
        [(MoreInformationRequested, Withdraw)] = Withdrawn,
        [(AwaitingPayment, RecordPayment)] = Eligible,
        [(AwaitingPayment, RecordPaymentFailure)] = AwaitingPayment,
        [(AwaitingPayment, Withdraw)] = Withdrawn,
        [(Eligible, RecordResult)] = Issued,
        [(Eligible, RecordRefund)] = AwaitingPayment,
        [(Eligible, Withdraw)] = Withdrawn,
        [(RetakeWaiting, RecordResult)] = Issued,
        [(RetakeWaiting, RecordRefund)] = AwaitingPayment,
        [(RetakeWaiting, Withdraw)] = Withdrawn,
        [(Issued, RecordRefund)] = Issued,
        [(Completed, RecordRefund)] = Completed,
        [(Closed, RecordRefund)] = Closed,
    };

    private static readonly DateTimeOffset Later = A.Jan1.AddDays(60);

    public static TheoryData<ApplicationStatus, ApplicationAction> EveryStateAndAction()
    {
        var data = new TheoryData<ApplicationStatus, ApplicationAction>();
        foreach (var status in Enum.GetValues<ApplicationStatus>())
            foreach (var action in Enum.GetValues<ApplicationAction>().Where(a => a != Submit))
                data.Add(status, action);
        return data;
    }

    private static ApplicationChange Do(CertificationApplication a, ApplicationAction action) => action switch
    {
        StartReview => a.StartReview(Later, "user:pm"),
        Approve => a.Approve(Later, "user:pm", "Looks complete"),
        Reject => a.Reject(Later, "user:pm", "The degree is not in a related field"),
        RequestInformation => a.RequestInformation(Later, "user:pm", "Which employer were the two years with?"),
        Resubmit => a.Resubmit(Later, "user:candidate-1", "Acme Widgets, 2022 to 2024"),
        AttachDocument => a.AttachDocument(new ApplicationDocument("doc-1", "Degree certificate", "degree.pdf", "pdf", 1234, new string('a', 64), Later), "user:candidate-1"),
        Withdraw => a.Withdraw(Later, "user:candidate-1", "Changed my mind"),
        RecordPayment => a.RecordPayment(AnApplication.Paid(Later, eventId: "evt_later")),
        RecordPaymentFailure => a.RecordPaymentFailure(AnApplication.Paid(Later, kind: PaymentKind.Failed, eventId: "evt_failed")),
        RecordRefund => a.RecordRefund(AnApplication.Paid(Later, kind: PaymentKind.Refunded, eventId: "evt_refund")),
        RecordResult => a.RecordResult("r-later", 95, Later, Later, "user:pm", "CERT-2"),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    [Theory]
    [MemberData(nameof(EveryStateAndAction))]
    public void Every_action_in_every_state_either_leads_where_the_flow_says_or_is_refused_naming_what_is_possible(ApplicationStatus status, ApplicationAction action)
    {
        var application = AnApplication.In(status);
        Assert.Equal(status, application.Status);

        if (Legal.TryGetValue((status, action), out var expected))
        {
            var change = Do(application, action);
            Assert.Equal((expected, action, status, expected), (change.Application.Status, change.Entry.Action, change.Entry.From, change.Entry.To));
            Assert.Equal(change.Entry, change.Application.History[^1]);
            Assert.Equal(application.History.Count + 1, change.Application.History.Count);
        }
        else
        {
            var refused = Assert.Throws<IllegalApplicationTransitionException>(() => Do(application, action));
            var possible = Legal.Keys.Where(k => k.Item1 == status).Select(k => k.Item2).Order();
            Assert.Equal((status, action), (refused.Status, refused.Attempted));
            Assert.Equal(possible, refused.Possible.Order());
        }
    }

    [Fact]
    public void The_table_allows_exactly_the_flows_actions_and_a_refund_also_after_a_withdrawal_that_followed_a_payment()
    {
        foreach (var status in Enum.GetValues<ApplicationStatus>())
            foreach (var action in Enum.GetValues<ApplicationAction>())
                Assert.Equal(Legal.ContainsKey((status, action)) || (status, action) == (Withdrawn, RecordRefund), ApplicationStateMachine.Allows(status, action));
        var withdrawnAfterPaying = AnApplication.In(Eligible).Withdraw(Later, "user:candidate-1", null).Application;
        Assert.Equal(Withdrawn, withdrawnAfterPaying.RecordRefund(AnApplication.Paid(Later, kind: PaymentKind.Refunded, eventId: "evt_r")).Application.Status);
    }

    [Fact]
    public void A_program_without_a_fee_makes_an_approved_candidate_eligible_at_once()
    {
        var approved = AnApplication.Submitted(AnApplication.Program(noFee: true)).Approve(Later, "user:pm", null).Application;
        Assert.Equal(Eligible, approved.Status);
    }

    [Fact]
    public void The_history_says_who_did_what_when_and_why_and_keeps_an_uploaded_documents_digest()
    {
        var sha = new string('b', 64);
        var a = AnApplication.Submitted()
            .RequestInformation(A.Jan1.AddDays(1), "user:pm", "Which employer?").Application
            .AttachDocument(new ApplicationDocument("doc-9", null, "letter.pdf", "pdf", 10, sha, A.Jan1.AddDays(2)), "user:candidate-1").Application
            .Resubmit(A.Jan1.AddDays(2), "user:candidate-1", "Acme").Application;

        Assert.Equal(
            [(1, Submit, "user:candidate-1", (string?)null), (2, RequestInformation, "user:pm", "Which employer?"), (3, AttachDocument, "user:candidate-1", null), (4, Resubmit, "user:candidate-1", "Acme")],
            a.History.Select(h => (h.Sequence, h.Action, h.Actor, h.Reason)));
        Assert.Equal(sha, a.History[2].Details["sha256"]);
        Assert.Equal("Which employer?", a.History[3].Details["question"]);
        Assert.Null(a.OpenQuestion);
    }

    [Fact]
    public void An_application_is_for_a_pathway_the_program_offers()
    {
        var e = Assert.Throws<ValidationFailedException>(() => CertificationApplication.Submit("app-1", AnApplication.Program(), "no-such", AnApplication.Candidate, A.Jan1));
        Assert.Equal(["pathwayId"], e.Errors.Keys);
        var none = Assert.Throws<ValidationFailedException>(() => CertificationApplication.Submit("app-1", A.Program(), "no-such", AnApplication.Candidate, A.Jan1));
        Assert.Equal(["programId"], none.Errors.Keys);
    }

    [Theory]
    [InlineData(24_999, "USD")]
    [InlineData(25_000, "EUR")]
    [InlineData(25_001, "USD")]
    public void A_payment_that_is_not_the_fee_exactly_is_refused_and_changes_nothing(long minorUnits, string currency)
    {
        var awaiting = AnApplication.In(AwaitingPayment);
        var e = Assert.Throws<ValidationFailedException>(() => awaiting.RecordPayment(AnApplication.Paid(Later, new Money(minorUnits, currency))));
        Assert.Equal(["amount"], e.Errors.Keys);
    }

    [Fact]
    public void Each_payment_change_owes_one_payment_event_with_an_id_that_the_same_change_always_makes()
    {
        var paid = AnApplication.In(AwaitingPayment).RecordPayment(AnApplication.Paid(Later)).Application;
        var again = AnApplication.In(AwaitingPayment).RecordPayment(AnApplication.Paid(Later)).Application;
        var refunded = paid.RecordRefund(AnApplication.Paid(Later, kind: PaymentKind.Refunded, eventId: "evt_r")).Application;

        var events = refunded.Outbox.Entries.Select(e => IntegrationEvent.FromPayload(e.Payload!)).ToList();
        Assert.Equal([EventTypes.PaymentSucceeded, EventTypes.PaymentRefunded], events.Select(e => e.Type));
        Assert.Equal(paid.Outbox.Entries.Single(), again.Outbox.Entries.Single());
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.Equal(("provider", 25_000L, "USD", "app-1"), (
            events[0].Data["method"]!.GetValue<string>(), events[0].Data["amountMinorUnits"]!.GetValue<long>(), events[0].Data["currency"]!.GetValue<string>(),
            events[0].Data["applicationId"]!.GetValue<string>()));
        Assert.Equal(AwaitingPayment, refunded.Status);
    }

    [Fact]
    public void A_partial_refund_is_recorded_and_the_candidate_stays_eligible()
    {
        var refunded = AnApplication.In(Eligible).RecordRefund(AnApplication.Paid(Later, new Money(5_000, "USD"), PaymentKind.Refunded, "evt_r")).Application;
        Assert.Equal(Eligible, refunded.Status);
        Assert.Equal(PaymentKind.Refunded, refunded.Payments[^1].Kind);
    }

    [Fact]
    public void A_refund_of_more_than_was_paid_or_of_a_payment_never_made_is_refused()
    {
        var eligible = AnApplication.In(Eligible);
        Assert.Equal(["amount"], Assert.Throws<ValidationFailedException>(() => eligible.RecordRefund(AnApplication.Paid(Later, new Money(30_000, "USD"), PaymentKind.Refunded))).Errors.Keys);
        Assert.Equal(["providerPaymentId"], Assert.Throws<ValidationFailedException>(() => eligible.RecordRefund(AnApplication.Paid(Later, kind: PaymentKind.Refunded, paymentId: "pi_other"))).Errors.Keys);
    }

    [Fact]
    public void A_practice_test_result_completes_the_application_and_issues_nothing()
    {
        var completed = AnApplication.In(Completed);
        Assert.Equal((AssessmentOutcomeOf(completed), (string?)null), (Programs.AssessmentOutcome.Recorded, completed.CertificateId));
    }

    private static Programs.AssessmentOutcome AssessmentOutcomeOf(CertificationApplication a) => a.Attempts.Single().Outcome;
}
