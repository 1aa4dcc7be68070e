using System.Globalization;
using CredentialFunctions.Domain.Credentials;
using CsvHelper;

namespace CredentialFunctions.Application.Search;

/// <summary>
/// The export's CSV: the eight record fields of the buyer's guide (legal name, completion date,
/// score and pass threshold, certificate id, expiry, credits with category, renewal history, issuer
/// and program) and the regulated-industry extras, one row per credential. Rows are written as they
/// arrive and flushed each <see cref="FlushEvery"/>, so an export of any size holds one page in memory.
/// </summary>
public static class CredentialCsv
{
    public const int FlushEvery = 500;

    public static readonly IReadOnlyList<string> Columns =
    [
        "certificateId", "fullLegalName", "learnerId", "email", "programId", "programVersion", "program", "issuingOrganization",
        "completedAt", "score", "passThreshold", "issuedAt", "expiresAt", "status", "credits", "renewals", "renewalHistory",
        "contentVersion", "regulatoryModule", "team", "cohort", "jobSite",
    ];

    /// <summary>
    /// OWASP's rule for CSV injection, as CsvHelper implements it: a cell starting with =, +, -, @,
    /// tab or carriage return is prefixed with a single quote and quoted, so a spreadsheet shows it as
    /// text instead of running it as a formula.
    /// </summary>
    public static readonly CsvWriterOptions Options = new()
    {
        Injection = CsvInjection.Escape,
        InjectionCharacters = "=+-@\t\r",
        InjectionEscape = '\'',
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <param name="at">The instant each row's status is judged at: the export's.</param>
    public static async Task WriteAsync(TextWriter output, IAsyncEnumerable<Credential> credentials, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        foreach (var column in Columns) csv.WriteField(column);
        await csv.EndRecordAsync(cancellationToken);
        var rows = 0;
        await foreach (var c in credentials.WithCancellation(cancellationToken))
        {
            foreach (var field in Row(c, at)) csv.WriteField(field);
            await csv.EndRecordAsync(cancellationToken);
            // The writer flushes when its buffer fills; a flush per page also lets a slow export show progress.
            if (++rows % FlushEvery == 0) await csv.FlushAsync(cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
    }

    private static IEnumerable<string?> Row(Credential c, DateTimeOffset at) =>
    [
        c.CertificateId, c.Holder.LegalName, c.Holder.LearnerId, c.Holder.Email, c.Program.ProgramId,
        c.Program.Version.ToString(CultureInfo.InvariantCulture), c.Program.Name, c.Program.IssuingOrganization,
        Instant(c.Completion.CompletedAt), c.Completion.Score.ToString(CultureInfo.InvariantCulture), c.PassThreshold.ToString(CultureInfo.InvariantCulture),
        Instant(c.IssuedAt), c.ExpiresAt is { } expiry ? Instant(expiry) : null,
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(c.StatusAt(at).ToString()),
        string.Join("; ", c.CreditsEarned.Select(credit => $"{credit.Amount.ToString(CultureInfo.InvariantCulture)} {credit.Category}")),
        c.RenewalHistory.Count.ToString(CultureInfo.InvariantCulture),
        string.Join("; ", c.RenewalHistory.Select(r => $"{Instant(r.At)} {System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(r.Pathway.ToString())} to {(r.NewExpiry is { } e ? Instant(e) : "no expiry")}")),
        c.ContentVersion, c.RegulatoryModule, c.Placement.Team, c.Placement.Cohort, c.Placement.JobSite,
    ];

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
