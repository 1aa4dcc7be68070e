using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Audit;

namespace CredentialFunctions.Domain.Tests;

public sealed class NameCorrectionTests
{
    [Fact]
    public void A_corrected_name_is_audited_with_both_names_and_the_chain_still_verifies()
    {
        var credential = A.Credential();

        var (corrected, entry) = credential.CorrectLegalName("  Augusta Ada King  ", A.Jan1.AddDays(3), "pm:alice", "Legal name on the passport.");

        Assert.Equal("Augusta Ada King", corrected.Holder.LegalName);
        Assert.Equal(AuditAction.Corrected, entry.Action);
        Assert.Equal(("legalName", "Ada Lovelace", "Augusta Ada King"), (entry.Details["field"], entry.Details["from"], entry.Details["to"]));
        Assert.Equal((credential.CertificateId, credential.ExpiresAt, credential.State), (corrected.CertificateId, corrected.ExpiresAt, corrected.State));
        Assert.True(corrected.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void A_name_edited_without_a_correction_fails_the_tamper_check()
    {
        var credential = A.Credential();

        var edited = credential with { Holder = credential.Holder with { LegalName = "Mallory Forger" } };

        Assert.False(edited.VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void The_same_name_again_is_no_correction()
        => Assert.Throws<InvalidTransitionException>(() => A.Credential().CorrectLegalName("Ada Lovelace", A.Jan1, "pm:alice", "Typo."));
}
