using System.Globalization;
using System.Security.Cryptography;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CsvHelper;

namespace CredentialFunctions.Application.Imports;

/// <summary>A row as read from the file, with what in it did not parse (by column).</summary>
public sealed record ReadRow(ImportRow Row, IReadOnlyDictionary<string, string[]> Unparsed);

/// <summary>An import file: its name as the importer gave it, the SHA-256 of its bytes, and its rows.</summary>
public sealed record ImportFile(string FileName, string Sha256, IReadOnlyList<ReadRow> Rows);

/// <summary>
/// Reads an import file: comma-separated, a header row naming the columns (<see cref="Columns"/>;
/// matched ignoring case), one row per credential. Dates are ISO 8601 (2024-03-01, midnight UTC, or an
/// instant with its offset): a spreadsheet's 03/04/2024 is two different days in two countries.
/// A field that does not parse is reported with its row, so a file gets every broken rule in one answer;
/// only a file that cannot be read as a whole (columns missing or unknown, broken quoting, no rows) is refused.
/// </summary>
public static class ImportCsv
{
    public static readonly IReadOnlyList<string> RequiredColumns = ["learnerExternalId", "fullLegalName", "email", "completedAt", "score", "issuedAt"];

    public static readonly IReadOnlyList<string> Columns =
        [.. RequiredColumns, "expiresAt", "credits", "renewals", "hrId", "programId", "team", "cohort", "jobSite"];

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private static readonly CsvReaderOptions Options = new()
    {
        Separator = ',',
        HasHeader = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
        // The rows hold names and emails: an error message must not carry them into a log.
        IncludeValuesInExceptions = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>Throws <see cref="ValidationFailedException"/> (field "file") for a file that cannot be read as a whole.</summary>
    public static ImportFile Read(string fileName, byte[] bytes, int maxRows)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var csv = CsvReader.Create(bytes, Options);
        try
        {
            var index = ColumnIndex(csv);
            var rows = new List<ReadRow>();
            while (csv.Read())
            {
                if (rows.Count == maxRows) throw Refused($"At most {maxRows:N0} rows in one file; split it.");
                rows.Add(ReadOne(csv, index));
            }
            if (rows.Count == 0) throw Refused("The file has a header but no rows.");
            return new ImportFile(fileName, sha256, rows);
        }
        catch (CsvFormatException e)
        {
            throw Refused($"The file is not well-formed CSV at line {e.LineNumber} (unbalanced quotes, or a row with more or fewer fields than the header).");
        }
    }

    private static Dictionary<string, int> ColumnIndex(CsvReader csv)
    {
        csv.ReadHeader();
        var headers = csv.Headers;
        if (headers.Count == 0) throw Refused($"The file is empty; it needs a header row naming its columns ({string.Join(", ", RequiredColumns)} at least).");
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var errors = new ValidationErrors();
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            if (!Columns.Contains(header, StringComparer.OrdinalIgnoreCase)) errors.Add("file", $"Unknown column '{header}'; the columns are {string.Join(", ", Columns)}.");
            else if (!index.TryAdd(header, i)) errors.Add("file", $"Column '{header}' appears twice.");
        }
        foreach (var missing in RequiredColumns.Where(c => !index.ContainsKey(c))) errors.Add("file", $"Column '{missing}' is required.");
        errors.ThrowIfAny();
        return index;
    }

    private static ReadRow ReadOne(CsvReader csv, Dictionary<string, int> index)
    {
        var unparsed = new ValidationErrors();
        string? Text(string column) => index.TryGetValue(column, out var i) && csv.GetString(i) is var value && !string.IsNullOrWhiteSpace(value) ? value : null;
        DateTimeOffset? Date(string column) => Text(column) is { } text ? ParseDate(unparsed, column, text) : null;
        decimal? score = null;
        if (Text("score") is { } s)
        {
            if (decimal.TryParse(s.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)) score = parsed;
            else unparsed.Add("score", "Not a number; write it with a decimal point (87.5).");
        }
        var row = new ImportRow(
            (int)csv.LineNumber, Text("learnerExternalId"), Text("fullLegalName"), Text("email"), Text("hrId"), Text("programId"),
            Date("completedAt"), score, Date("issuedAt"), Date("expiresAt"),
            Credits(unparsed, Text("credits")), Renewals(unparsed, Text("renewals")),
            Text("team"), Text("cohort"), Text("jobSite"));
        return new ReadRow(row, unparsed.ByField());
    }

    private static DateTimeOffset? ParseDate(ValidationErrors unparsed, string column, string text)
    {
        if (DateTimeOffset.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        unparsed.Add(column, $"Not a date: write 2024-03-01, or an ISO 8601 instant such as 2024-03-01T09:30:00Z.");
        return null;
    }

    /// <summary>"12.5 CEU; 3 Ethics": each award its amount, then its category.</summary>
    private static IReadOnlyList<CeuCredit> Credits(ValidationErrors unparsed, string? text)
    {
        var credits = new List<CeuCredit>();
        foreach (var item in Items(text))
        {
            var parts = item.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && decimal.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
                credits.Add(new CeuCredit(amount, PlainText.Required(unparsed, "credits", parts[1], 100)));
            else unparsed.Add("credits", $"'{item}' is not an award: write its amount, then its category (12.5 CEU; 3 Ethics).");
        }
        return credits;
    }

    /// <summary>"2023-05-01 RetakeExam; 2025-04-20 ContinuingEducationCredits": each renewal's date, then its pathway.</summary>
    private static IReadOnlyList<ImportedRenewal> Renewals(ValidationErrors unparsed, string? text)
    {
        var renewals = new List<ImportedRenewal>();
        foreach (var item in Items(text))
        {
            var parts = item.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ParseDate(unparsed, "renewals", parts[0]) is { } at)
            {
                // Names only, in any case: Enum.TryParse would also take "2" for a pathway.
                if (!int.TryParse(parts[1], out _) && Enum.TryParse<RenewalPathway>(parts[1], ignoreCase: true, out var pathway)) renewals.Add(new ImportedRenewal(at, pathway));
                else unparsed.Add("renewals", $"'{parts[1]}' is not a renewal pathway; the pathways are {string.Join(", ", Enum.GetNames<RenewalPathway>())}.");
            }
            else if (parts.Length != 2) unparsed.Add("renewals", $"'{item}' is not a renewal: write its date, then its pathway (2023-05-01 RetakeExam).");
        }
        return renewals;
    }

    private static IEnumerable<string> Items(string? text)
        => text is null ? [] : text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static ValidationFailedException Refused(string message) => ValidationFailedException.For("file", message);
}
