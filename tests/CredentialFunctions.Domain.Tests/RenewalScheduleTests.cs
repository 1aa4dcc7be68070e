using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Domain.Renewal;
using FsCheck.Xunit;

namespace CredentialFunctions.Domain.Tests;

public class RenewalScheduleTests
{
    private static readonly DateTimeOffset Expiry = new(2027, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Default_terms_remind_at_90_60_and_30_days_then_grant_30_days_grace_and_follow_up_30_days_after_lapse()
    {
        var s = RenewalSchedule.For(Expiry, A.Terms());
        Assert.Equal([Expiry.AddDays(-90), Expiry.AddDays(-60), Expiry.AddDays(-30)], s.Reminders.Select(r => r.At));
        Assert.Equal(Expiry.AddDays(-90), s.WindowOpensAt);
        Assert.Equal(Expiry.AddDays(30), s.GraceEndsAt);
        Assert.Equal(Expiry.AddDays(60), s.FollowUpAt);
    }

    [Fact]
    public void An_extended_grace_end_moves_the_lapse_and_the_follow_up()
    {
        var s = RenewalSchedule.For(Expiry, A.Terms(), Expiry.AddDays(45));
        Assert.Equal(Expiry.AddDays(45), s.GraceEndsAt);
        Assert.Equal(Expiry.AddDays(75), s.FollowUpAt);
    }

    [Fact]
    public void An_extension_shorter_than_the_default_grace_does_not_shorten_it()
        => Assert.Equal(Expiry.AddDays(30), RenewalSchedule.For(Expiry, A.Terms(), Expiry.AddDays(10)).GraceEndsAt);

    [Fact]
    public void Offsets_given_in_any_order_are_scheduled_in_time_order()
    {
        var terms = A.Terms() with { ReminderOffsets = [IsoDuration.FromDays(7), IsoDuration.Parse("P3M"), IsoDuration.FromDays(30)] };
        var s = RenewalSchedule.For(Expiry, terms);
        Assert.Equal(["P3M", "P30D", "P7D"], s.Reminders.Select(r => r.Offset.ToString()));
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero), s.Reminders[0].At);
    }

    [Fact]
    public void Second_long_programs_schedule_in_seconds()
    {
        var terms = A.Terms("PT20S", ["PT9S", "PT6S", "PT3S"], grace: "PT5S", followUp: "PT2S");
        var s = RenewalSchedule.For(Expiry, terms);
        Assert.Equal([-9, -6, -3], s.Reminders.Select(r => (r.At - Expiry).TotalSeconds));
        Assert.Equal(7, (s.FollowUpAt - Expiry).TotalSeconds);
    }

    [Property(MaxTest = 300)]
    public bool Every_instant_is_in_lifecycle_order(ushort validityDays, byte offsetA, byte offsetB, byte graceDays)
    {
        var expiry = Expiry.AddDays(validityDays % 2000);
        var terms = A.Terms(grace: $"P{graceDays % 120 + 1}D") with
        {
            ReminderOffsets = new[] { offsetA % 120 + 1, offsetB % 120 + 1 }.Distinct().Select(IsoDuration.FromDays).ToList(),
        };
        var s = RenewalSchedule.For(expiry, terms);
        var reminders = s.Reminders.Select(r => r.At).ToList();
        return reminders.SequenceEqual(reminders.Order())
            && reminders.All(r => r < s.ExpiresAt)
            && s.ExpiresAt < s.GraceEndsAt
            && s.GraceEndsAt < s.FollowUpAt;
    }
}
