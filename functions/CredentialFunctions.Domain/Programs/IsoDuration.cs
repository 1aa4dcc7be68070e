using System.Globalization;
using System.Text.RegularExpressions;

namespace CredentialFunctions.Domain.Programs;

/// <summary>
/// An ISO-8601 duration (P2Y, P6M, P90D, PT30S, P1Y2M10DT2H) applied on the calendar: P1Y from
/// 29 Feb is 28 Feb, P1M from 31 Jan is the end of February. TimeSpan cannot say "a year", which
/// is why validity, reminder offsets and grace periods are kept in this form.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(IsoDurationJsonConverter))]
public readonly partial record struct IsoDuration(int Years, int Months, int Days, TimeSpan Time)
{
    [GeneratedRegex(@"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static IsoDuration FromDays(int days) => new(0, 0, days, TimeSpan.Zero);

    public static bool TryParse(string? text, out IsoDuration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Pattern().Match(text.Trim().ToUpperInvariant());
        if (!m.Success) return false;
        try
        {
            int Int(int group) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            var seconds = m.Groups[7].Success ? double.Parse(m.Groups[7].Value, CultureInfo.InvariantCulture) : 0;
            var time = TimeSpan.FromHours(Int(5)) + TimeSpan.FromMinutes(Int(6)) + TimeSpan.FromSeconds(seconds);
            duration = new IsoDuration(Int(1), Int(2), checked(Int(3) * 7 + Int(4)), time);
            return duration.Years <= 100 && duration.Months <= 1200 && duration.Days <= 36500 && time <= TimeSpan.FromDays(36500);
        }
        catch (Exception e) when (e is OverflowException or FormatException)
        {
            return false;
        }
    }

    public static IsoDuration Parse(string text)
        => TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not an ISO-8601 duration such as P2Y, P90D or PT30S.");

    /// <summary>An instant to measure calendar durations from; parsed durations (at most about three centuries) fit around it either way.</summary>
    public static readonly DateTimeOffset Probe = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Whether this runs past <paramref name="limit"/>, both measured from <see cref="Probe"/> (so P60M is as long as P5Y).</summary>
    public bool IsLongerThan(IsoDuration limit) => AddTo(Probe) > limit.AddTo(Probe);

    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Time == TimeSpan.Zero;

    // The parts apply one after another (a year, then months: P1Y1M from 29 February is 28 March) and
    // a zero part is skipped: each calendar step splits and rebuilds the date, and schedules are read often.
    public DateTimeOffset AddTo(DateTimeOffset instant)
    {
        if (Years != 0) instant = instant.AddYears(Years);
        if (Months != 0) instant = instant.AddMonths(Months);
        if (Days != 0) instant = instant.AddDays(Days);
        return Time == TimeSpan.Zero ? instant : instant.Add(Time);
    }

    public DateTimeOffset SubtractFrom(DateTimeOffset instant)
    {
        if (Time != TimeSpan.Zero) instant = instant.Subtract(Time);
        if (Days != 0) instant = instant.AddDays(-Days);
        if (Months != 0) instant = instant.AddMonths(-Months);
        return Years == 0 ? instant : instant.AddYears(-Years);
    }

    public override string ToString()
    {
        if (IsZero) return "PT0S";
        var s = "P";
        if (Years > 0) s += $"{Years}Y";
        if (Months > 0) s += $"{Months}M";
        if (Days > 0) s += $"{Days}D";
        if (Time > TimeSpan.Zero)
        {
            s += "T";
            if (Time.Hours + Time.Days * 24 > 0) s += $"{(int)Time.TotalHours}H";
            if (Time.Minutes > 0) s += $"{Time.Minutes}M";
            var secs = Time.Seconds + Time.Milliseconds / 1000.0;
            if (secs > 0) s += secs.ToString(CultureInfo.InvariantCulture) + "S";
        }
        return s;
    }
}
