using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Credentials;

/// <summary>A re-issuance the previous system recorded: when, and by which pathway.</summary>
public sealed record ImportedRenewal(DateTimeOffset At, RenewalPathway Pathway);

/// <summary>
/// A credential as a certification body's previous records (a spreadsheet, an older system) hold it:
/// the result it rests on, its original dates, the credits it awarded and the renewals it went through.
/// </summary>
public sealed record ImportedRecord(
    Completion Completion,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<CeuCredit> Credits,
    IReadOnlyList<ImportedRenewal> Renewals);

/// <summary>
/// Where an imported credential came from: the file by name and by its SHA-256 (the name alone could
/// be any file), the line of its row, and who imported it when. The renewal window reads
/// <see cref="At"/>: what fell due before it was the previous system's to send.
/// </summary>
public sealed record ImportOrigin(string FileName, string FileSha256, int Line, DateTimeOffset At, string By);
