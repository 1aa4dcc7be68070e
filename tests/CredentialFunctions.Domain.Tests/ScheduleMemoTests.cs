using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Renewal;

namespace CredentialFunctions.Domain.Tests;

/// <summary>A credential keeps the schedule it computed; each version made from it by <c>with</c> must still get its own.</summary>
public class ScheduleMemoTests
{
    // Schedules are records over a list, so they compare by their instants (with offsets) here.
    private static string Instants(RenewalSchedule s)
        => string.Join(' ', new[] { s.WindowOpensAt, s.ExpiresAt, s.GraceEndsAt, s.FollowUpAt }.Concat(s.Reminders.Select(r => r.At)).Select(i => i.ToString("O")));

    private static Credential Read(Credential c)
    {
        _ = c.Schedule;
        return c;
    }

    [Fact]
    public void A_schedule_read_twice_is_the_one_computed()
    {
        var c = A.Credential();
        Assert.Same(c.Schedule, c.Schedule);
        Assert.Equal(Instants(RenewalSchedule.For(c.ExpiresAt!.Value, c.Terms)), Instants(c.Schedule!));
    }

    [Fact]
    public void A_version_with_another_expiry_gets_its_schedule()
    {
        var c = Read(A.Credential());
        var renewed = c with { ExpiresAt = c.ExpiresAt!.Value.AddYears(1) };
        Assert.Equal(Instants(RenewalSchedule.For(c.ExpiresAt!.Value.AddYears(1), c.Terms)), Instants(renewed.Schedule!));
        Assert.Equal(Instants(RenewalSchedule.For(c.ExpiresAt!.Value, c.Terms)), Instants(c.Schedule!));
    }

    [Fact]
    public void A_version_with_other_terms_gets_their_schedule()
    {
        var c = Read(A.Credential());
        var terms = A.Terms(grace: "P45D");
        Assert.Equal(c.ExpiresAt!.Value.AddDays(45), (c with { Terms = terms }).Schedule!.GraceEndsAt);
    }

    [Fact]
    public void A_version_with_a_grace_extension_gets_the_extended_grace_end()
    {
        var c = Read(A.Credential());
        var graceEnd = c.ExpiresAt!.Value.AddDays(50);
        var extended = c with { GraceExtensions = [new GraceExtension(c.ExpiresAt.Value, graceEnd, "pm", "Deployed abroad")] };
        Assert.Equal(graceEnd, extended.Schedule!.GraceEndsAt);
        Assert.Equal(c.ExpiresAt.Value.AddDays(30), c.Schedule!.GraceEndsAt);
    }

    [Fact]
    public void The_same_expiry_at_another_offset_gives_instants_at_that_offset()
    {
        var c = Read(A.Credential());
        var eastern = c.ExpiresAt!.Value.ToOffset(TimeSpan.FromHours(-5));
        var s = (c with { ExpiresAt = eastern }).Schedule!;
        Assert.Equal(TimeSpan.FromHours(-5), s.ExpiresAt.Offset);
        Assert.All(s.Reminders, r => Assert.Equal(TimeSpan.FromHours(-5), r.At.Offset));
    }

    [Fact]
    public void A_memo_that_holds_a_schedule_equals_one_that_does_not_so_credentials_compare_on_their_data()
    {
        var c = A.Credential();
        var used = new ScheduleMemo();
        used.For(c.ExpiresAt!.Value, c.Terms, null);
        Assert.Equal(new ScheduleMemo(), used);
        Assert.Equal(new ScheduleMemo().GetHashCode(), used.GetHashCode());
        Assert.Equal(c with { }, Read(c));
        Assert.NotEqual(c, c with { ExpiresAt = c.ExpiresAt.Value.AddDays(1) });
    }
}
