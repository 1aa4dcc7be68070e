namespace CredentialFunctions.Renewal.Tests.Orchestration;

/// <summary>An imported credential's window starts where the record stands on the day of the import.</summary>
public sealed class ImportedCredentialWindowTests
{
    private static readonly DateTimeOffset ImportedAt = A.Jan1;

    [Fact]
    public async Task A_credential_imported_45_days_before_expiry_sends_the_30_day_reminder_and_what_follows_and_never_the_90_or_60_day_ones()
    {
        var expiry = ImportedAt.AddDays(45);
        var window = new SimulatedWindow(A.Imported(expiry, ImportedAt, renewals: 1), ImportedAt);

        await window.RunAsync();

        Assert.Equal([expiry.AddDays(-30), expiry, expiry.AddDays(30), expiry.AddDays(60)], window.Timers);
        Assert.Equal(["c2:reminder:P30D", "c2:grace", "c2:lapse", "c2:lapse-follow-up"], window.Sent);
    }

    [Fact]
    public async Task A_credential_imported_in_grace_lapses_when_its_grace_ends_without_a_grace_notice_for_an_expiry_already_past()
    {
        var expiry = ImportedAt.AddDays(-5);
        var window = new SimulatedWindow(A.Imported(expiry, ImportedAt), ImportedAt);

        await window.RunAsync();

        Assert.Equal([expiry.AddDays(30), expiry.AddDays(60)], window.Timers);
        Assert.Equal(["c1:lapse", "c1:lapse-follow-up"], window.Sent);
    }
}
