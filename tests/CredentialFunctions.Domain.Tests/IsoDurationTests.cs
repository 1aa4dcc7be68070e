using CredentialFunctions.Domain.Programs;
using FsCheck.Xunit;

namespace CredentialFunctions.Domain.Tests;

public class IsoDurationTests
{
    [Theory]
    [InlineData("P2Y", 2, 0, 0, 0)]
    [InlineData("P6M", 0, 6, 0, 0)]
    [InlineData("P90D", 0, 0, 90, 0)]
    [InlineData("P2W", 0, 0, 14, 0)]
    [InlineData("PT30S", 0, 0, 0, 30)]
    [InlineData("P1Y2M3DT4H5M6S", 1, 2, 3, 14706)]
    [InlineData("p1y", 1, 0, 0, 0)]
    public void Parses_the_forms_program_authors_write(string text, int years, int months, int days, int seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var d));
        Assert.Equal((years, months, days, TimeSpan.FromSeconds(seconds)), (d.Years, d.Months, d.Days, d.Time));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("2Y")]
    [InlineData("P-1D")]
    [InlineData("P1.5Y")]
    [InlineData("P1D2Y")]
    [InlineData("P99999999999D")]
    [InlineData("P1000Y")]
    public void Refuses_what_is_not_an_iso_duration(string text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("P1Y")]
    [InlineData("P90D")]
    [InlineData("PT30S")]
    [InlineData("P1Y2M3DT4H5M6S")]
    [InlineData("PT1.5S")]
    public void Prints_back_what_it_parsed(string text) => Assert.Equal(text, IsoDuration.Parse(text).ToString());

    [Fact]
    public void Years_and_months_follow_the_calendar()
    {
        var leapDay = new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2029, 2, 28, 0, 0, 0, TimeSpan.Zero), IsoDuration.Parse("P1Y").AddTo(leapDay));
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), IsoDuration.Parse("P1M").AddTo(new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 10, 3, 0, 0, 0, TimeSpan.Zero), IsoDuration.Parse("P90D").SubtractFrom(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_year_applies_before_the_months()
    {
        // From 29 February a year ends on the 28th, and a month after that is 28 March, not 29 March.
        var leapDay = new DateTimeOffset(2028, 2, 29, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2029, 3, 28, 0, 0, 0, TimeSpan.Zero), IsoDuration.Parse("P1Y1M").AddTo(leapDay));
    }

    // A zero part is skipped for speed; the answer must be the one every part applied in turn gives.
    [Property(MaxTest = 500)]
    public bool Adding_and_subtracting_apply_each_part_in_turn(byte years, byte months, ushort days, int seconds, int startDays, sbyte offsetHours)
    {
        var duration = new IsoDuration(years % 4, months % 14, days % 400, TimeSpan.FromSeconds(Math.Abs(seconds % 100_000)));
        var start = new DateTimeOffset(2026, 1, 31, 13, 0, 0, TimeSpan.FromHours(offsetHours % 12)).AddDays(startDays % 3000);
        var added = start.AddYears(duration.Years).AddMonths(duration.Months).AddDays(duration.Days).Add(duration.Time);
        var subtracted = start.Subtract(duration.Time).AddDays(-duration.Days).AddMonths(-duration.Months).AddYears(-duration.Years);
        return duration.AddTo(start).EqualsExact(added) && duration.SubtractFrom(start).EqualsExact(subtracted);
    }
}
