using CredentialFunctions.Application.Notifications;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Tests.Notifications;

/// <summary>Test notifications: a valid one of each kind, changed with <c>with</c> for what a test cares about.</summary>
internal static class A
{
    public static readonly DateTimeOffset Expiry = new(2027, 3, 14, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset GraceEnd = new(2027, 4, 13, 9, 30, 0, TimeSpan.Zero);

    public static Notification Notification(NotificationKind kind) => new(
        kind, $"c1:{kind}", "7QXM-2K9D-RH4T-WZ5C", "Ada Lovelace", "ada@example.org", "Certified Widgetmaker", "Widget Board",
        Expiry, kind is NotificationKind.GraceStarted or NotificationKind.Lapsed or NotificationKind.LapseFollowUp ? GraceEnd : null,
        kind is NotificationKind.RenewalReminder ? 60 : null,
        [RenewalPathway.RetakeExam, RenewalPathway.ContinuingEducationCredits, RenewalPathway.RefresherModule, RenewalPathway.SupervisorSignOff]);

    public static NotificationTemplates Templates() => new(new Uri("https://credentials.example.org/"));
}
