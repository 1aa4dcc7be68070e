using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Reports;

namespace CredentialFunctions.Testing.Builders;

/// <summary>
/// The brute-force count a compliance report is checked against: each credential's status at the
/// instant from the domain's own <see cref="Credential.StatusAt"/>, one by one, with none of the
/// tallies' standings or keys.
/// </summary>
public static class ComplianceOracle
{
    private static readonly (int Days, ComplianceMeasure Measure)[] DueWithin =
        [(30, ComplianceMeasure.DueWithin30Days), (60, ComplianceMeasure.DueWithin60Days), (90, ComplianceMeasure.DueWithin90Days)];

    public static IEnumerable<ComplianceMeasure> MeasuresOf(Credential credential, DateTimeOffset at)
    {
        switch (credential.StatusAt(at))
        {
            case CredentialStatus.Active or CredentialStatus.InRenewalWindow:
                yield return ComplianceMeasure.Active;
                foreach (var (days, measure) in DueWithin)
                    if (credential.ExpiresAt is { } expiry && expiry - at <= TimeSpan.FromDays(days)) yield return measure;
                break;
            case CredentialStatus.InGrace: yield return ComplianceMeasure.InGrace; break;
            case CredentialStatus.Lapsed: yield return ComplianceMeasure.Lapsed; break;
            case CredentialStatus.Suspended: yield return ComplianceMeasure.Suspended; break;
            case CredentialStatus.Revoked: yield return ComplianceMeasure.Revoked; break;
            case CredentialStatus.Superseded: yield return ComplianceMeasure.Superseded; break;
        }
    }

    public static Dictionary<ComplianceMeasure, int> Count(IEnumerable<Credential> credentials, DateTimeOffset at)
    {
        var counts = Enum.GetValues<ComplianceMeasure>().ToDictionary(m => m, _ => 0);
        foreach (var measure in credentials.SelectMany(c => MeasuresOf(c, at))) counts[measure]++;
        return counts;
    }
}
