using CredentialFunctions.Application.Ports;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Applications;

namespace CredentialFunctions.Application.Payments;

/// <summary>One payment, failed payment or refund, flat, as finance reconciles it against the provider's payout report.</summary>
/// <param name="Kind">succeeded, failed or refunded.</param>
/// <param name="Method">provider or manual.</param>
public sealed record PaymentLine(
    DateTimeOffset OccurredAt, string Kind, string Method, long AmountMinorUnits, string Currency, string ApplicationId, string PaymentId, string ProgramId,
    string LearnerId, string? Provider, string? ProviderPaymentId, string? Reference, DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>Payments and refunds by the date they occurred, for reconciliation.</summary>
public sealed class PaymentLedger(IApplicationStore store)
{
    /// <summary>A year and a day: the longest report a reconciliation needs, and a bound on what one request reads.</summary>
    public static readonly TimeSpan LongestRange = TimeSpan.FromDays(366);

    private const int PageSize = 100;

    /// <returns>Every payment record that occurred in [from, to), oldest first.</returns>
    public async Task<IReadOnlyList<PaymentLine>> BetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (to <= from) throw ValidationFailedException.For("to", "The end of the range comes after its start.");
        if (to - from > LongestRange) throw ValidationFailedException.For("to", $"A report covers at most {LongestRange.TotalDays} days.");
        var lines = new List<PaymentLine>();
        string? continuation = null;
        do
        {
            var page = await store.WithPaymentsBetweenAsync(from, to, continuation, PageSize, cancellationToken);
            // An application that does not read cannot be reconciled silently: finance must hear of it.
            if (page.Unreadable is [var first, ..]) throw new InvalidOperationException($"Application {first.Id} does not read: {first.Reason}");
            lines.AddRange(page.Items.SelectMany(a => a.Payments.Where(p => p.OccurredAt >= from && p.OccurredAt < to).Select(p => Line(a, p))));
            continuation = page.ContinuationToken;
        } while (continuation is not null);
        return [.. lines.OrderBy(l => l.OccurredAt).ThenBy(l => l.PaymentId, StringComparer.Ordinal)];
    }

    private static PaymentLine Line(CertificationApplication a, PaymentRecord p) => new(
        p.OccurredAt, p.Kind.ToString().ToLowerInvariant(), p.Method.ToString().ToLowerInvariant(), p.Amount.MinorUnits, p.Amount.Currency,
        a.ApplicationId, p.PaymentId, a.ProgramId, a.Candidate.LearnerId, p.Provider, p.ProviderPaymentId, p.Reference, p.RecordedAt, p.RecordedBy);
}
