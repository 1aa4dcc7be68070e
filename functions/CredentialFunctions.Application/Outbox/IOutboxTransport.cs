using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Outbox;

/// <summary>Carries the outbox entries of one channel to its provider (email now; Service Bus next).</summary>
public interface IOutboxTransport
{
    OutboxChannel Channel { get; }

    /// <returns>The provider's id for the message.</returns>
    /// <exception cref="OutboxDeliveryException">The provider refused the message or could not be reached; says whether trying again can help.</exception>
    Task<string> SendAsync(OutboxEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Many entries, for a sender with a batch of them (a bulk issuance batch's ledger): a transport
    /// that can hand them over together does; any other sends them a few at a time. Not atomic: an
    /// exception may leave some sent, which is why a retry asks <see cref="FindSentAsync"/> first.
    /// </summary>
    Task SendAllAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
        => Concurrently.EachAsync(entries, Concurrently.BatchCalls, entry => SendAsync(entry, cancellationToken), cancellationToken);

    /// <summary>
    /// Asks the provider whether an earlier attempt at the entry reached it: a sender may have died
    /// after the provider took the message and before it recorded that.
    /// </summary>
    /// <returns>The provider's id for the message when it has it; null when it has not, or cannot say.</returns>
    Task<string?> FindSentAsync(OutboxEntry entry, CancellationToken cancellationToken);
}

/// <summary>
/// Sending failed. <see cref="IsTransient"/> tells whether trying again later can help (throttling,
/// an outage, a timeout) or not (a refused address, missing configuration).
/// </summary>
public class OutboxDeliveryException(string message, bool isTransient, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool IsTransient { get; } = isTransient;
}
