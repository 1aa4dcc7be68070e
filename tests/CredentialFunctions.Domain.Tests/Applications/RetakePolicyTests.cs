using CredentialFunctions.Domain.Applications;
using CredentialFunctions.Domain.Payments;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests.Applications;

public class RetakePolicyTests
{
    private static readonly DateTimeOffset Sat = A.Jan1.AddDays(10);

    private static CertificationApplication Failed(CertificationApplication a, DateTimeOffset at, string resultId = "r")
        => a.RecordResult(resultId + at.Ticks, 40, at, at, "user:pm", null).Application;

    [Fact]
    public void A_fail_opens_a_retake_after_the_waiting_period_and_not_a_moment_before()
    {
        var failed = Failed(AnApplication.In(ApplicationStatus.Eligible), Sat);
        var retakeFrom = Sat.AddDays(14);

        Assert.Equal((ApplicationStatus.RetakeWaiting, retakeFrom), (failed.Status, failed.RetakeFrom));
        var early = Assert.Throws<IllegalApplicationTransitionException>(() => failed.RecordResult("r2", 90, retakeFrom.AddSeconds(-1), retakeFrom.AddSeconds(-1), "user:pm", "CERT-1"));
        Assert.Equal([ApplicationAction.Withdraw, ApplicationAction.RecordRefund], early.Possible.Order());
        Assert.Contains(retakeFrom.ToString("O"), early.Message);
        Assert.DoesNotContain(ApplicationAction.RecordResult, failed.PossibleActions(retakeFrom.AddSeconds(-1)));
        Assert.Contains(ApplicationAction.RecordResult, failed.PossibleActions(retakeFrom));
        Assert.Equal(ApplicationStatus.Issued, failed.RecordResult("r2", 90, retakeFrom, retakeFrom, "user:pm", "CERT-1").Application.Status);
    }

    [Fact]
    public void The_last_attempt_allowed_within_the_period_failing_closes_the_application()
    {
        var a = AnApplication.In(ApplicationStatus.Eligible);
        a = Failed(a, Sat);
        a = Failed(a, Sat.AddDays(14));
        Assert.Equal(ApplicationStatus.RetakeWaiting, a.Status);
        a = Failed(a, Sat.AddDays(28));

        Assert.Equal((ApplicationStatus.Closed, 3, (DateTimeOffset?)null), (a.Status, a.Attempts.Count, a.RetakeFrom));
        Assert.Equal([ApplicationAction.RecordRefund], a.PossibleActions(Sat.AddYears(2)));
    }

    [Fact]
    public void Attempts_older_than_the_period_no_longer_count_against_the_limit()
    {
        var a = AnApplication.In(ApplicationStatus.Eligible);
        a = Failed(a, Sat);
        a = Failed(a, Sat.AddMonths(6));
        a = Failed(a, Sat.AddYears(1).AddDays(1));

        Assert.Equal(ApplicationStatus.RetakeWaiting, a.Status);
    }

    [Fact]
    public void A_retake_after_a_full_refund_waits_for_payment_again_and_still_for_its_date()
    {
        var failed = Failed(AnApplication.In(ApplicationStatus.Eligible), Sat);
        var refunded = failed.RecordRefund(AnApplication.Paid(Sat, kind: PaymentKind.Refunded, eventId: "evt_r")).Application;
        var repaid = refunded.RecordPayment(AnApplication.Paid(Sat.AddDays(1), eventId: "evt_2", paymentId: "pi_2")).Application;

        Assert.Equal((ApplicationStatus.AwaitingPayment, ApplicationStatus.Eligible), (refunded.Status, repaid.Status));
        Assert.Throws<IllegalApplicationTransitionException>(() => repaid.RecordResult("r2", 90, Sat.AddDays(2), Sat.AddDays(2), "user:pm", "CERT-1"));
    }

    [Fact]
    public void A_result_from_the_future_or_off_the_scale_is_refused_naming_the_fields()
    {
        var eligible = AnApplication.In(ApplicationStatus.Eligible);
        var e = Assert.Throws<ValidationFailedException>(() => eligible.RecordResult("r", 101, Sat.AddDays(1), Sat, "user:pm", null));
        Assert.Equal(["score", "takenAt"], e.Errors.Keys.Order());
    }
}

public class ApplicationRulesOfAProgramTests
{
    [Fact]
    public void Pathways_a_fee_and_a_retake_policy_are_kept_with_the_programs_version()
    {
        var program = AnApplication.Program();
        var revised = program.Revise(program.Definition with { Fee = new Money(30_000, "USD") }, A.Jan1.AddDays(1), "pm");

        Assert.Equal((AnApplication.Fee, new Money(30_000, "USD"), 2), (program.Definition.Fee, revised.Definition.Fee, revised.Version));
        Assert.Equal(AnApplication.Pathway.PathwayId, revised.Definition.EligibilityPathways.Single().PathwayId);
    }

    [Fact]
    public void Every_broken_application_rule_is_reported_at_once_by_field()
    {
        var bad = A.Definition() with
        {
            EligibilityPathways =
            [
                new EligibilityPathway("has space", "", [new RequiredDocument("", "x")]),
                new EligibilityPathway("training", "Approved training", []),
                new EligibilityPathway("training", "Again", []),
            ],
            Fee = new Money(0, "usd"),
            Retake = new RetakePolicy(0, IsoDuration.FromDays(0), IsoDuration.FromDays(1)),
        };
        var e = Assert.Throws<ValidationFailedException>(() => bad.Validated());
        Assert.Equal(
            ["eligibilityPathways", "eligibilityPathways[0].documents[0].name", "eligibilityPathways[0].name", "eligibilityPathways[0].pathwayId", "fee", "retake.attemptsAllowed", "retake.period", "retake.waitingPeriod"],
            e.Errors.Keys.Order());
    }

    [Theory]
    [InlineData(0L, "fee.minorUnits")]
    [InlineData(100_000_001L, "fee.minorUnits")]
    [InlineData(-1L, "fee")]
    public void A_fee_is_a_positive_plausible_amount(long minorUnits, string field)
        => Assert.Equal([field], Assert.Throws<ValidationFailedException>(() => (A.Definition() with { Fee = new Money(minorUnits, "USD") }).Validated()).Errors.Keys);

    [Fact]
    public void A_definition_stored_before_applications_existed_reads_with_no_pathways_no_fee_and_the_default_retake_policy()
    {
        var d = A.Definition().Validated();
        Assert.Equal((0, (Money?)null, RetakePolicy.Default), (d.EligibilityPathways.Count, d.Fee, d.Retake));
    }
}
