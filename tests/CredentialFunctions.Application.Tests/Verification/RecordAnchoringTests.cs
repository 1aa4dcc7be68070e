using System.Security.Cryptography;
using System.Text;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;

namespace CredentialFunctions.Application.Tests.Verification;

public sealed class RecordAnchoringTests
{
    private static AnchorKey Key(string id) => new(id, SHA256.HashData(Encoding.UTF8.GetBytes("anchor key " + id)));

    private static readonly AnchorKey K1 = Key("k1"), K2 = Key("k2");

    private static Task<Credential> SealAsync(Credential c, params AnchorKey[] keys)
        => new RecordAnchoring(new ConfiguredAnchorKeys(keys[0], keys[1..])).SealAsync(c, CancellationToken.None);

    private static Task<AnchorFailure> CheckAsync(Credential c, params AnchorKey[] keys)
        => new RecordAnchoring(new ConfiguredAnchorKeys(keys[0], keys[1..])).CheckAsync(c, CancellationToken.None);

    [Fact]
    public async Task A_record_sealed_with_the_current_key_checks()
    {
        var sealedRecord = await SealAsync(A.Credential(), K1);

        Assert.Equal("k1", sealedRecord.Anchor!.KeyId);
        Assert.Equal(AnchorFailure.None, await CheckAsync(sealedRecord, K1));
    }

    [Fact]
    public async Task After_a_rotation_new_writes_use_the_new_key_and_old_anchors_still_check()
    {
        var sealedBefore = await SealAsync(A.Credential(seed: 1), K1);

        var sealedAfter = await SealAsync(A.Credential(seed: 2), K2, K1);

        Assert.Equal("k2", sealedAfter.Anchor!.KeyId);
        Assert.Equal(AnchorFailure.None, await CheckAsync(sealedBefore, K2, K1));
        Assert.Equal(AnchorFailure.None, await CheckAsync(sealedAfter, K2, K1));
    }

    [Fact]
    public async Task A_record_whose_next_write_comes_after_a_rotation_is_sealed_again_with_the_new_key()
    {
        var old = await SealAsync(A.Credential(), K1);

        var revoked = await SealAsync(old.Revoke(A.Jan1.AddDays(3), "pm:1", "Exam fraud").Credential, K2, K1);

        Assert.Equal("k2", revoked.Anchor!.KeyId);
        Assert.Equal(AnchorFailure.None, await CheckAsync(revoked, K2));
    }

    [Fact]
    public async Task A_record_without_an_anchor_is_missing_one()
        => Assert.Equal(AnchorFailure.Missing, await CheckAsync(A.Credential(), K1));

    [Fact]
    public async Task A_malformed_anchor_is_not_looked_up()
    {
        var c = A.Credential() with { Anchor = new AuditAnchor("k1", "not a mac") };
        Assert.Equal(AnchorFailure.Malformed, await CheckAsync(c, K1));
    }

    [Fact]
    public async Task An_anchor_made_with_a_key_that_is_no_longer_held_or_never_was_names_an_unknown_key()
    {
        var sealedWithK1 = await SealAsync(A.Credential(), K1);
        var underAMadeUpId = await SealAsync(A.Credential(), Key("k9"));

        Assert.Equal(AnchorFailure.UnknownKey, await CheckAsync(sealedWithK1, K2));
        Assert.Equal(AnchorFailure.UnknownKey, await CheckAsync(underAMadeUpId, K2, K1));
    }

    [Fact]
    public async Task An_edited_record_with_its_chain_recomputed_does_not_match_its_anchor()
    {
        var c = await SealAsync(A.Credential(), K1);

        var edited = Forgery.Rechain(c with { ExpiresAt = c.ExpiresAt!.Value.AddYears(10) });

        Assert.True(edited.VerifyAuditTrail().IsIntact);
        Assert.Equal(AnchorFailure.Mismatch, await CheckAsync(edited, K1));
    }
}
