using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CredentialFunctions.Domain.Tests;

/// <summary>
/// Whatever a caller sends, once the domain accepts it, nothing computed from the record may throw:
/// not the schedule, not the renewal window's next step, not the status or tamper check verification
/// answers with. Inputs reach the extremes of what JSON can carry (year 1 to 9999, three-century
/// durations); the clock stays where clocks are.
/// </summary>
public class AcceptedInputProperties
{
    private enum Action { ExtendGrace, Renew, Reinstate, Revoke, EnterGrace, Lapse, LogCredit }

    /// <param name="Value">What the caller sent with it: the grace end, the date credits were earned.</param>
    private sealed record Step(Action Action, DateTimeOffset At, DateTimeOffset Value);

    private sealed record Scenario(RenewalTerms Terms, DateTimeOffset CompletedAt, DateTimeOffset IssuedAt, IReadOnlyList<Step> Steps, IReadOnlyList<DateTimeOffset> Probes)
    {
        public override string ToString()
            => $"terms {Terms} (max grace extension {Terms.MaxGraceExtension}), completed {CompletedAt:O}, issued {IssuedAt:O}, steps [{string.Join("; ", Steps)}]";
    }

    private static readonly DateTimeOffset ClockStart = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Gen<int> Small(int max) => Gen.Frequency((3, Gen.Constant(0)), (3, Gen.Choose(0, 3)), (1, Gen.Choose(0, max)));

    /// <summary>What the system clock can say: 1990 to 2200.</summary>
    private static readonly Gen<DateTimeOffset> Clock =
        from days in Gen.Choose(0, 210 * 366)
        from seconds in Gen.Choose(0, 86_399)
        select ClockStart.AddDays(days).AddSeconds(seconds);

    /// <summary>What a caller can send: any instant, the edges of the calendar often.</summary>
    private static readonly Gen<DateTimeOffset> AnyInstant = Gen.Frequency(
        (1, Gen.Elements(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(1, 1, 2, 0, 0, 0, TimeSpan.Zero))),
        (2, Clock));

    /// <summary>Every duration the ISO-8601 parser lets through (up to 100 years, 1200 months, 36,500 days and as many days of hours).</summary>
    private static readonly Gen<IsoDuration> Duration =
        from years in Small(100)
        from months in Small(1200)
        from days in Small(36_500)
        from hours in Small(36_500 * 24)
        select new IsoDuration(years, months, days, TimeSpan.FromHours(hours));

    private static readonly Gen<IsoDuration?> OptionalDuration = Gen.Frequency((1, Gen.Constant((IsoDuration?)null)), (4, Duration.Select(d => (IsoDuration?)d)));

    private static readonly Gen<RenewalTerms> Terms =
        from validity in OptionalDuration
        from reminders in Gen.ListOf(Duration, 4)
        from window in Duration
        from grace in Duration
        from followUp in Duration
        from maxGraceExtension in OptionalDuration
        select new RenewalTerms(validity, reminders.Distinct().ToList(), window, grace, followUp, [RenewalPathway.RetakeExam], null) { MaxGraceExtension = maxGraceExtension };

    private static readonly Gen<Step> AStep =
        from action in Gen.Elements(Enum.GetValues<Action>())
        from at in Clock
        from value in AnyInstant
        select new Step(action, at, value);

    private static readonly Gen<Scenario> Scenarios =
        from terms in Terms
        from completedAt in AnyInstant
        from issuedAt in Clock
        from steps in Gen.ListOf(AStep, 8)
        from probes in Gen.ListOf(AnyInstant, 4)
        select new Scenario(terms, completedAt, issuedAt, steps.OrderBy(s => s.At).ToList(), probes);

    [Property(MaxTest = 5000)]
    public Property No_accepted_input_makes_the_schedule_the_next_step_or_verification_throw()
        => Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            if (Issue(scenario) is not { } credential) return true;
            Observe(credential, scenario.Probes);
            foreach (var step in scenario.Steps.Where(s => s.At >= scenario.IssuedAt))
            {
                credential = Take(credential, step);
                Observe(credential, [.. scenario.Probes, step.At]);
            }
            return true;
        });

    /// <returns>Null when the program or the completion would be refused.</returns>
    private static Credential? Issue(Scenario s)
    {
        CertificationProgram program;
        try
        {
            program = A.Program(A.Definition(s.Terms), s.IssuedAt);
        }
        catch (ValidationFailedException)
        {
            return null;
        }
        // The bounds the LMS webhook puts on a completion date.
        if (s.CompletedAt < Completion.Earliest || ClockSkew.IsInTheFuture(s.CompletedAt, s.IssuedAt)) return null;
        return A.Credential(program, s.IssuedAt, s.CompletedAt);
    }

    /// <summary>The step, or the record unchanged when the domain refuses it (a refusal is an answer, not a failure).</summary>
    private static Credential Take(Credential c, Step step)
    {
        try
        {
            return step.Action switch
            {
                Action.ExtendGrace => c.ExtendGrace(step.Value, step.At, "pm", "Medical leave").Credential,
                Action.Renew => c.Renew(RenewalPathway.RetakeExam, step.At, "pm").Credential,
                Action.Reinstate => c.Reinstate(step.At, "pm", "Appeal upheld").Credential,
                Action.Revoke => c.Revoke(step.At, "pm", "Fraud").Credential,
                Action.EnterGrace => c.EnterGrace(step.At).Credential,
                Action.Lapse => c.Lapse(step.At).Credential,
                _ => c.LogCredit(step.Value, 1, "CPD", "Seminar", null, CreditSource.ProgramStaff, step.At, "pm")?.Credential ?? c,
            };
        }
        catch (DomainException)
        {
            return c;
        }
    }

    private static void Observe(Credential c, IEnumerable<DateTimeOffset> instants)
    {
        _ = c.Schedule;
        _ = c.CycleStartedAt;
        Assert.True(c.VerifyAuditTrail().IsIntact);
        foreach (var at in instants)
        {
            _ = c.StatusAt(at);
            _ = RenewalWindow.NextStep(c, at);
        }
    }
}
