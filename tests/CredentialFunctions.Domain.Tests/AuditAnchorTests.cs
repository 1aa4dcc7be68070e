using System.Security.Cryptography;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.Domain.Tests;

/// <summary>
/// The attacks of someone who can write the database but holds no anchor key. Each leaves a chain
/// that checks (a plain hash chain always can be recomputed), and each is refused by the anchor.
/// </summary>
public class AuditAnchorTests
{
    private static readonly byte[] IssuerKey = SHA256.HashData("the issuer's anchor key"u8);
    private static readonly byte[] AttackersKey = SHA256.HashData("a key the attacker made up"u8);

    private static Credential Anchored(Credential c) => c with { Anchor = AuditAnchor.Make("k1", IssuerKey, c.CertificateId, c.AuditTrail) };

    private static bool Vouched(Credential c) => c.Anchor is { } anchor && anchor.Seals(IssuerKey, c.CertificateId, c.AuditTrail);

    private static Credential Revoked(Credential c) => c.Revoke(A.Jan1.AddDays(20), "pm:1", "Exam fraud").Credential;

    [Fact]
    public void A_record_sealed_with_the_issuers_key_is_vouched_for()
    {
        var c = Anchored(A.Credential());
        Assert.True(c.VerifyAuditTrail().IsIntact);
        Assert.True(Vouched(c));
    }

    [Fact]
    public void Editing_a_field_and_recomputing_the_chain_is_refused()
    {
        var c = Anchored(A.Credential());

        var edited = Forgery.Rechain(c with { Holder = c.Holder with { LegalName = "Mallory Forger" } });

        Assert.True(edited.VerifyAuditTrail().IsIntact);
        Assert.False(Vouched(edited));
    }

    [Fact]
    public void Dropping_a_revocation_and_restoring_the_state_before_it_is_refused_with_the_anchor_the_revocation_got()
    {
        var active = A.Credential();
        var revoked = Anchored(Revoked(active));

        var truncated = active with { Anchor = revoked.Anchor };

        Assert.True(truncated.VerifyAuditTrail().IsIntact);
        Assert.False(Vouched(truncated));
    }

    [Fact]
    public void Dropping_a_revocation_and_anchoring_the_rest_with_a_key_of_ones_own_is_refused()
    {
        var revoked = Anchored(Revoked(A.Credential()));
        var active = revoked with { AuditTrail = revoked.AuditTrail.SkipLast(1).ToList(), State = CredentialState.Active, StateReason = null, StateChangedAt = revoked.IssuedAt };

        var rechained = Forgery.Rechain(active);
        var truncated = rechained with { Anchor = AuditAnchor.Make("k1", AttackersKey, rechained.CertificateId, rechained.AuditTrail) };

        Assert.True(truncated.VerifyAuditTrail().IsIntact);
        Assert.False(Vouched(truncated));
    }

    [Fact]
    public void A_whole_record_forged_under_the_issuers_key_id_is_refused()
    {
        var forged = A.Credential(seed: 99);
        forged = forged with { Anchor = AuditAnchor.Make("k1", AttackersKey, forged.CertificateId, forged.AuditTrail) };

        Assert.True(forged.VerifyAuditTrail().IsIntact);
        Assert.False(Vouched(forged));
    }

    [Fact]
    public void Swapping_two_records_chains_and_anchors_is_refused_even_with_the_chain_recomputed_for_its_new_record()
    {
        var mine = Anchored(A.Credential(seed: 1));
        var theirs = Anchored(Revoked(A.Credential(seed: 2)));

        var swapped = mine with { AuditTrail = theirs.AuditTrail, Anchor = theirs.Anchor };
        var rechained = Forgery.Rechain(swapped);
        var anchorOnly = mine with { Anchor = theirs.Anchor };

        Assert.False(swapped.VerifyAuditTrail().IsIntact);
        Assert.True(rechained.VerifyAuditTrail().IsIntact);
        Assert.False(Vouched(rechained));
        Assert.True(anchorOnly.VerifyAuditTrail().IsIntact);
        Assert.False(Vouched(anchorOnly));
    }

    [Fact]
    public void A_change_drops_the_anchor_read_with_the_record_which_seals_the_old_head_only()
    {
        var before = Anchored(A.Credential());

        var after = Revoked(before);

        Assert.Null(after.Anchor);
        Assert.False(Vouched(after with { Anchor = before.Anchor }));
        Assert.True(Vouched(Anchored(after)));
    }

    [Fact]
    public void A_renewed_record_sealed_again_is_vouched_for()
    {
        var c = Anchored(A.Credential());

        var renewed = c.Renew(RenewalPathway.RetakeExam, A.Jan1.AddDays(300), "pm:1").Credential;

        Assert.True(Vouched(Anchored(renewed)));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "", new string('a', 64) },
        { "k1", new string('a', 63) },
        { "k1", new string('A', 64) },
        { "k1", new string('g', 64) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_anchor_seals_nothing(string keyId, string mac)
    {
        var c = A.Credential();
        var anchor = new AuditAnchor(keyId, mac);

        Assert.False(anchor.IsWellFormed);
        Assert.False(anchor.Seals(IssuerKey, c.CertificateId, c.AuditTrail));
    }

    [Fact]
    public void A_key_shorter_than_32_bytes_is_refused()
    {
        var c = A.Credential();
        Assert.Throws<ArgumentException>(() => AuditAnchor.Make("k1", new byte[31], c.CertificateId, c.AuditTrail));
    }
}
