using System.Globalization;
using CredentialFunctions.Domain;
using CsvHelper;

namespace CredentialFunctions.Application.Cohorts;

/// <summary>
/// A cohort uploaded as CSV (RFC 4180), one learner per row under a header naming the columns in any
/// order and case. Fields that do not read as their type (a date, a score) are refused here by row
/// number; the rest of the checks are the run kind's, as for a JSON cohort.
/// </summary>
public static class CohortCsv
{
    public static readonly IReadOnlyList<string> Columns = ["externalId", "fullLegalName", "email", "completedAt", "score", "team", "cohort", "jobSite"];

    private static readonly string[] Required = ["externalId", "fullLegalName", "email", "completedAt", "score"];

    public static IReadOnlyList<CohortRow> Read(byte[] utf8)
    {
        using var csv = CsvReader.Create(utf8, new CsvReaderOptions { FormatProvider = CultureInfo.InvariantCulture });
        try
        {
            csv.ReadHeader();
            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var (header, i) in csv.Headers.Select((h, i) => (h.Trim(), i))) columns.TryAdd(header, i);
            if (Required.Where(c => !columns.ContainsKey(c)).ToList() is [_, ..] missing)
                throw ValidationFailedException.For("header", $"The header row must name the columns {string.Join(", ", Required)} (and optionally team, cohort, jobSite); it lacks {string.Join(", ", missing)}.");

            var (rows, errors, badRows) = (new List<CohortRow>(), new Dictionary<string, string[]>(StringComparer.Ordinal), 0);
            while (csv.Read())
            {
                var number = rows.Count + badRows + 1;
                string? Field(string name) => columns.TryGetValue(name, out var i) && csv.GetString(i).Trim() is { Length: > 0 } value ? value : null;
                var rowErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                var completedAt = DateTimeOffset.TryParse(Field("completedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : default;
                if (completedAt == default) rowErrors["completedAt"] = ["A date, e.g. 2026-11-30 or 2026-11-30T14:00:00Z, is required."];
                var score = decimal.TryParse(Field("score"), NumberStyles.Number, CultureInfo.InvariantCulture, out var s) ? s : (decimal?)null;
                if (score is null) rowErrors["score"] = ["A number from 0 to 100, e.g. 88 or 91.5, is required."];
                if (rowErrors.Count > 0)
                {
                    if (++badRows <= CohortIntake.MaxRowsReported)
                        foreach (var (field, messages) in rowErrors) errors[$"rows[{number}].{field}"] = messages;
                    continue;
                }
                rows.Add(new CohortRow(number, Field("externalId") ?? "", Field("fullLegalName") ?? "", Field("email") ?? "", completedAt, score!.Value,
                    Field("team"), Field("cohort"), Field("jobSite")));
            }
            if (badRows > CohortIntake.MaxRowsReported) errors["rows"] = [$"{badRows:N0} rows are invalid; the first {CohortIntake.MaxRowsReported} are listed."];
            if (errors.Count > 0) throw new ValidationFailedException(errors);
            return rows;
        }
        catch (CsvFormatException e)
        {
            throw ValidationFailedException.For("body", $"The body is not valid CSV: {e.Message}");
        }
    }
}
