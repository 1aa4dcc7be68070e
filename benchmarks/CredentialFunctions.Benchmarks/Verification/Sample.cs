using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;
using CredentialFunctions.Testing.Builders;

namespace CredentialFunctions.Benchmarks.Verification;

/// <summary>A credential as verification meets it: issued, and renewed some number of times (each renewal adds an audit entry).</summary>
internal static class Sample
{
    private static readonly DateTimeOffset Issued = new(2020, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static Credential Credential(int renewals)
    {
        var credential = A.Credential(issuedAt: Issued, seed: renewals);
        for (var i = 0; i < renewals; i++)
            credential = credential.Renew(RenewalPathway.RetakeExam, credential.ExpiresAt!.Value.AddDays(-20), "integration:lms").Credential;
        return credential;
    }
}
