using System.Globalization;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Payments;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Functions;

public sealed record PaymentReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<PaymentLine> Payments);

/// <summary>Finance's reconciliation: payments and refunds by the date they occurred, as JSON or (Accept: text/csv) CSV.</summary>
public sealed class PaymentFunctions(PaymentLedger ledger)
{
    public const string Csv = "text/csv";

    [Function("ListPayments")]
    [RequireRole(Role.Finance, Role.Administrator)]
    [Answers(StatusCodes.Status200OK, typeof(PaymentReport))]
    [Answers(StatusCodes.Status200OK, typeof(string), ContentType = Csv)]
    [Answers(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "payments")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (from, to) = (Instant(request, "from"), Instant(request, "to"));
        var lines = await ledger.BetweenAsync(from, to, cancellationToken);
        if (!request.Headers.Accept.ToString().Contains(Csv, StringComparison.OrdinalIgnoreCase))
            return new JsonResponse(new PaymentReport(from, to, lines));
        return new TextResponse(ToCsv(lines), $"{Csv}; charset=utf-8")
            .WithHeader("Content-Disposition", $"attachment; filename=\"payments-{from:yyyyMMdd}-{to:yyyyMMdd}.csv\"");
    }

    private static readonly string[] Columns =
    [
        "OccurredAt", "Kind", "Method", "AmountMinorUnits", "Currency", "ApplicationId", "PaymentId", "ProgramId", "LearnerId",
        "Provider", "ProviderPaymentId", "Reference", "RecordedAt", "RecordedBy",
    ];

    /// <summary>RFC 4180, one row per line; text a spreadsheet would run as a formula (a reference typed as "=...") is escaped.</summary>
    private static string ToCsv(IReadOnlyList<PaymentLine> lines)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteHeader(Columns);
            foreach (var l in lines)
                csv.WriteRecord([
                    Iso(l.OccurredAt), l.Kind, l.Method, l.AmountMinorUnits.ToString(CultureInfo.InvariantCulture), l.Currency, l.ApplicationId, l.PaymentId, l.ProgramId,
                    l.LearnerId, l.Provider ?? "", l.ProviderPaymentId ?? "", l.Reference ?? "", Iso(l.RecordedAt), l.RecordedBy,
                ]);
            csv.Flush();
        }
        return text.ToString();
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(HttpRequest request, string name)
        => request.Query.TryGetValue(name, out var value)
           && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new RequestRejectedException(Problems.Validation(new Dictionary<string, string[]>
            {
                [name] = ["Required: an ISO 8601 date or instant, e.g. 2026-01-31 or 2026-01-31T00:00:00Z."],
            }));
}
