using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Application.Imports;

/// <summary>
/// One row of an import file as read: each field typed where it parsed, null where it was blank or
/// did not parse (its error is then among the row's reasons). <paramref name="Line"/> is the row's
/// line in the file, which every answer and the audit entry name it by.
/// </summary>
public sealed record ImportRow(
    int Line,
    string? LearnerExternalId,
    string? FullLegalName,
    string? Email,
    string? HrId,
    string? ProgramId,
    DateTimeOffset? CompletedAt,
    decimal? Score,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<CeuCredit> Credits,
    IReadOnlyList<ImportedRenewal> Renewals,
    string? Team,
    string? Cohort,
    string? JobSite)
{
    public const int MaxCredits = 20;
    public const int MaxRenewals = 50;

    /// <summary>
    /// Every rule the row breaks for the program it is imported into, added to <paramref name="errors"/>
    /// (which already holds what did not parse); the row as a credential's parts when it breaks none.
    /// </summary>
    public ImportedRow? Checked(CertificationProgram program, DateTimeOffset now, ValidationErrors errors)
    {
        var externalId = PlainText.Required(errors, "learnerExternalId", LearnerExternalId, 200);
        var name = PlainText.Required(errors, "fullLegalName", FullLegalName, LearnerIdentity.MaxLegalNameLength);
        var email = PlainText.Required(errors, "email", Email, 320);
        if (!string.IsNullOrWhiteSpace(Email) && !EmailAddresses.IsValid(email)) errors.Add("email", "A valid email address is required, e.g. ada@example.org.");
        var hrId = PlainText.Optional(errors, "hrId", HrId, 200);
        if (PlainText.Optional(errors, "programId", ProgramId, 100) is { } named && named != program.ProgramId)
            errors.Add("programId", $"The row names program '{named}', which is not program '{program.ProgramId}' this file is imported into: import each program's rows at its own route.");

        RequiredInstant(errors, "completedAt", CompletedAt, now);
        RequiredInstant(errors, "issuedAt", IssuedAt, now);
        if (CompletedAt > IssuedAt) errors.Add("issuedAt", "The issue date cannot come before the completion date.");
        CheckScore(program, errors);
        CheckExpiry(program, errors);
        CheckRenewals(now, errors);
        for (var i = 0; i < Credits.Count; i++)
            if (Credits[i].Amount is <= 0 or > 1000) errors.Add("credits", $"Credit {i + 1}: an amount greater than zero, at most 1000.");
        if (Credits.Count > MaxCredits) errors.Add("credits", $"At most {MaxCredits} credit awards.");
        var placement = new Placement(PlainText.Optional(errors, "team", Team, 200), PlainText.Optional(errors, "cohort", Cohort, 200), PlainText.Optional(errors, "jobSite", JobSite, 200));
        if (errors.Any) return null;

        return new ImportedRow(
            Line, externalId, name, email, hrId,
            new ImportedRecord(new Completion(CompletedAt!.Value, Score!.Value), IssuedAt!.Value, ExpiresAt, Credits, Renewals),
            placement);
    }

    private void CheckScore(CertificationProgram program, ValidationErrors errors)
    {
        if (Score is not { } score)
        {
            if (!errors.Has("score")) errors.Add("score", "Required, from 0 to 100.");
        }
        else if (score is < 0 or > 100) errors.Add("score", "The score must be from 0 to 100.");
        else if (program.Assess(score) == AssessmentOutcome.Recorded) errors.Add("score", $"Program '{program.ProgramId}' is a {program.Definition.Kind}: it issues no credentials to import.");
        else if (program.Assess(score) == AssessmentOutcome.Failed) errors.Add("score", $"A score of {score} does not pass program '{program.ProgramId}' (threshold {program.Definition.PassThreshold}).");
    }

    private void CheckExpiry(CertificationProgram program, ValidationErrors errors)
    {
        var validity = program.Definition.Renewal.Validity;
        if (validity is not null && ExpiresAt is null && !errors.Has("expiresAt")) errors.Add("expiresAt", $"Program '{program.ProgramId}' credentials expire ({validity}): the expiry date is required.");
        if (validity is null && ExpiresAt is not null) errors.Add("expiresAt", $"Program '{program.ProgramId}' credentials do not expire: leave the expiry date blank.");
        if (ExpiresAt <= IssuedAt) errors.Add("expiresAt", "The expiry date must be after the issue date.");
    }

    private void CheckRenewals(DateTimeOffset now, ValidationErrors errors)
    {
        if (Renewals.Count > MaxRenewals) errors.Add("renewals", $"At most {MaxRenewals} renewals.");
        foreach (var renewal in Renewals)
        {
            if (ClockSkew.IsInTheFuture(renewal.At, now)) errors.Add("renewals", $"The renewal of {renewal.At:yyyy-MM-dd} is in the future.");
            if (renewal.At < IssuedAt) errors.Add("renewals", $"The renewal of {renewal.At:yyyy-MM-dd} comes before the issue date.");
            if (renewal.At >= ExpiresAt) errors.Add("renewals", $"The renewal of {renewal.At:yyyy-MM-dd} comes after the expiry date, which it should have moved.");
        }
    }

    private static void RequiredInstant(ValidationErrors errors, string field, DateTimeOffset? value, DateTimeOffset now)
    {
        if (value is not { } at)
        {
            // A value that did not parse is already reported as such.
            if (!errors.Has(field)) errors.Add(field, "Required: a date (2024-03-01) or an ISO 8601 instant.");
            return;
        }
        if (ClockSkew.IsInTheFuture(at, now)) errors.Add(field, "The date cannot be in the future.");
        if (at < Completion.Earliest) errors.Add(field, $"The date is implausibly old (before {Completion.Earliest:yyyy-MM-dd}).");
    }
}

/// <summary>A row that breaks no rule: the learner as the file names them, and the credential's parts.</summary>
public sealed record ImportedRow(int Line, string LearnerExternalId, string FullLegalName, string Email, string? HrId, ImportedRecord Record, Placement Placement);
