using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Notifications;

/// <summary>What a learner is told about their credential, in the order of the renewal lifecycle.</summary>
public enum NotificationKind
{
    Issued,
    RenewalReminder,
    GraceStarted,
    Lapsed,
    LapseFollowUp,
    Renewed,
    Reinstated,
}

/// <summary>
/// One message to one learner about one credential. <see cref="DeliveryKey"/> names the message
/// uniquely per credential, cycle and occasion (for example "c2:reminder:P60D"): it is recorded on
/// the credential before sending so nothing is sent twice, and it doubles as the provider's
/// idempotency key where the provider has one.
/// </summary>
public sealed record Notification(
    NotificationKind Kind,
    string DeliveryKey,
    string CertificateId,
    string LearnerName,
    string LearnerEmail,
    string ProgramName,
    string IssuingOrganization,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? GraceEndsAt,
    int? DaysLeft,
    IReadOnlyList<RenewalPathway> RenewalPathways)
{
    /// <summary>Where the learner acts on each pathway, as the credential's terms give them.</summary>
    public IReadOnlyList<RenewalPathwayLink> PathwayLinks { get; init; } = [];
}

/// <summary>Sends a notification to its learner; throws when the provider refuses or cannot be reached.</summary>
public interface INotificationSender
{
    /// <returns>The provider's message id, recorded on the credential with the delivery.</returns>
    /// <exception cref="EmailDeliveryException">The provider refused the message or could not be reached.</exception>
    Task<string> SendAsync(Notification notification, CancellationToken cancellationToken);

    /// <returns>The provider's message id when an earlier attempt at this notification reached it; null when none did, or the provider cannot say.</returns>
    Task<string?> FindSentAsync(Notification notification, CancellationToken cancellationToken);
}
