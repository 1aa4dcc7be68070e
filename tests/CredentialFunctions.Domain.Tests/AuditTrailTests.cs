using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using FsCheck.Xunit;

namespace CredentialFunctions.Domain.Tests;

public class AuditTrailTests
{
    private static Credential WithHistory()
    {
        var c = A.Credential();
        c = c.ExtendGrace(A.Jan1.AddYears(1).AddDays(60), A.Jan1.AddDays(10), "pm:1", "On parental leave").Credential;
        c = c.Revoke(A.Jan1.AddDays(20), "pm:1", "Issued in error").Credential;
        return c.Reinstate(A.Jan1.AddDays(21), "pm:2", "Appeal upheld").Credential;
    }

    [Fact]
    public void A_credentials_chain_is_intact_after_every_change()
    {
        var c = WithHistory();
        Assert.Equal([AuditAction.Issued, AuditAction.GraceExtended, AuditAction.Revoked, AuditAction.Reinstated], c.AuditTrail.Select(e => e.Action));
        Assert.Equal(AuditVerification.Intact, c.VerifyAuditTrail());
    }

    [Fact]
    public void Each_entry_says_who_when_what_and_why()
    {
        var e = WithHistory().AuditTrail[2];
        Assert.Equal(("pm:1", A.Jan1.AddDays(20), AuditAction.Revoked, "Issued in error"), (e.Actor, e.At, e.Action, e.Reason));
    }

    public static TheoryData<string> Tamperings => new()
    {
        "actor", "at", "action", "reason", "details", "digest", "previous", "hash", "drop-first", "drop-middle", "swap", "duplicate",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Any_edit_to_the_chain_is_detected(string tampering)
    {
        var c = WithHistory();
        var t = c.AuditTrail.ToList();
        switch (tampering)
        {
            case "actor": t[1] = t[1] with { Actor = "someone-else" }; break;
            case "at": t[1] = t[1] with { At = t[1].At.AddTicks(1) }; break;
            case "action": t[2] = t[2] with { Action = AuditAction.Corrected }; break;
            case "reason": t[2] = t[2] with { Reason = "Policy" }; break;
            case "details": t[1] = t[1] with { Details = new Dictionary<string, string> { ["graceEndsAt"] = "2030-01-01" } }; break;
            case "digest": t[0] = t[0] with { RecordDigest = new string('0', 64) }; break;
            case "previous": t[0] = t[0] with { PreviousHash = AuditTrail.GenesisHash("other") }; break;
            case "hash": t[3] = t[3] with { Hash = new string('a', 64) }; break;
            case "drop-first": t.RemoveAt(0); break;
            case "drop-middle": t.RemoveAt(1); break;
            case "swap": (t[1], t[2]) = (t[2], t[1]); break;
            case "duplicate": t.Add(t[^1]); break;
        }
        Assert.False((c with { AuditTrail = t }).VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void Dropping_the_last_entry_is_detected_because_the_record_no_longer_matches()
    {
        var c = WithHistory();
        Assert.False((c with { AuditTrail = c.AuditTrail.Take(3).ToList() }).VerifyAuditTrail().IsIntact);
    }

    [Fact]
    public void A_record_edited_behind_the_chains_back_is_detected()
    {
        var c = WithHistory();
        var forged = c with { ExpiresAt = c.ExpiresAt!.Value.AddYears(5) };
        var result = forged.VerifyAuditTrail();
        Assert.False(result.IsIntact);
        Assert.Equal("The record was changed without an audit entry.", result.Problem);
    }

    [Fact]
    public void A_chain_moved_onto_another_credential_is_detected()
    {
        var c = WithHistory();
        Assert.False(AuditTrail.Verify(c.AuditTrail, A.Id(99).Value, RecordDigest.Of(c)).IsIntact);
    }

    [Fact]
    public void An_empty_chain_is_not_intact()
        => Assert.False(AuditTrail.Verify([], "x", "d").IsIntact);

    [Property(MaxTest = 200)]
    public bool Changing_any_reason_text_breaks_the_chain(string? replacement)
    {
        var c = WithHistory();
        var t = c.AuditTrail.ToList();
        if (replacement == t[3].Reason) return true;
        t[3] = t[3] with { Reason = replacement };
        return !(c with { AuditTrail = t }).VerifyAuditTrail().IsIntact;
    }

    [Fact]
    public void Length_prefixing_keeps_fields_apart()
        => Assert.NotEqual(new CanonicalText().Add("a;").Add("b").ToString(), new CanonicalText().Add("a").Add(";b").ToString());
}
