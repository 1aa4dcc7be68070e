using System.Text.Json;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Payments;

namespace CredentialFunctions.Domain.Applications;

/// <summary>What a candidate is told about their application, one kind per change that owes them word.</summary>
public enum ApplicationNoticeKind
{
    /// <summary>Approved: pay the fee next, or (no fee) eligible to sit at once.</summary>
    Approved,
    Rejected,
    /// <summary>The reviewer asked a question the candidate answers before review goes on.</summary>
    MoreInformationRequested,
    /// <summary>The receipt of the fee paid.</summary>
    PaymentReceived,
    /// <summary>An attempt failed with attempts left: the date a retake becomes possible.</summary>
    RetakeAvailable,
    /// <summary>An attempt failed and the attempts allowed are spent: another try needs a new application.</summary>
    AttemptsSpent,
}

/// <summary>A payment as its receipt states it.</summary>
/// <param name="Reference">The payment's id in this system (what finance's events and reports name).</param>
/// <param name="PayerReference">For a payment recorded by hand: the invoice or purchase order it settled.</param>
public sealed record PaymentReceipt(Money Amount, string Reference, string? PayerReference, DateTimeOffset PaidAt);

/// <summary>
/// A message the application owes its candidate, decided by the change that made it and written
/// in the same ETag-guarded write (the application's outbox, channel email). The domain says which
/// notice and what it states; the application layer words and sends it.
/// </summary>
/// <param name="At">When the change that owes it was made.</param>
/// <param name="Fee">Approved: the fee to pay before sitting; null when there is none and the candidate may sit at once.</param>
/// <param name="Reason">Rejected: why.</param>
/// <param name="Question">More information requested: what the reviewer asks.</param>
/// <param name="Attempt">A failed attempt: its number.</param>
/// <param name="RetakeFrom">Retake available: the earliest a retake may be taken.</param>
public sealed record ApplicationNotice(
    ApplicationNoticeKind Kind, string ApplicationId, string CandidateName, string CandidateEmail, string ProgramName, DateTimeOffset At,
    Money? Fee = null, string? Reason = null, string? Question = null, PaymentReceipt? Receipt = null, int? Attempt = null, DateTimeOffset? RetakeFrom = null)
{
    /// <summary>The outbox entry type of every application notice; credential emails are typed by their own kinds.</summary>
    public const string TypePrefix = "application.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Keyed by the history entry of the change that owes it: the same change always owes the same
    /// key, and a change that repeats one already recorded (a redelivery) is refused before it owes anything.
    /// </summary>
    public static string OutboxKey(ApplicationHistoryEntry entry) => $"notice:{entry.Sequence}";

    public static bool IsNotice(OutboxEntry entry) => entry.Channel == OutboxChannel.Email && entry.Type.StartsWith(TypePrefix, StringComparison.Ordinal);

    public OutboxEntry ToOutboxEntry(ApplicationHistoryEntry owedBy)
        => OutboxEntry.Pending(OutboxKey(owedBy), OutboxChannel.Email, TypePrefix + Kind, JsonSerializer.Serialize(this, Json), At);

    /// <summary>The notice an entry made by <see cref="ToOutboxEntry"/> carries.</summary>
    public static ApplicationNotice FromPayload(string payload)
        => JsonSerializer.Deserialize<ApplicationNotice>(payload, Json) ?? throw new JsonException("A notice payload was null.");
}
