using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Adapters.Anchors;
using CredentialFunctions.Adapters.Cosmos;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Application.Ports;
using CredentialFunctions.Application.Verification;
using CredentialFunctions.Domain.Audit;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Testing.Api;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>
/// The attacks of someone with write access to the Cosmos data and no anchor key, made as they
/// would make them: straight into the container, around the app. The public route must answer
/// "cannot be verified" to each, and keep vouching for records the app itself changed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TamperApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;
    private static readonly byte[] AttackersKey = SHA256.HashData("a key the attacker made up"u8);

    private Container Credentials(ApiHost host) => host.Services.GetRequiredService<CredentialDatabase>().Container(CosmosLayout.Credentials);

    private async Task<Credential> ReadAsync(string id)
    {
        using var read = await Credentials(_api).ReadItemStreamAsync(id, new PartitionKey(id));
        return (await JsonSerializer.DeserializeAsync<Credential>(read.Content, CredentialJson.Options))!;
    }

    /// <summary>Writes the record as the attacker made it, with no ETag and nothing of the app in between.</summary>
    private async Task WriteAsync(Credential c)
    {
        var document = JsonSerializer.SerializeToNode(c, CredentialJson.Options)!.AsObject();
        document["id"] = c.CertificateId;
        using var written = await Credentials(_api).UpsertItemStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString())), new PartitionKey(c.CertificateId));
        Assert.True(written.IsSuccessStatusCode);
    }

    private static async Task<JsonNode> VerifyAsync(ApiHost host, string id)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/verify/{id}");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", VerificationApiTests.NewClient());
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Not authentic, no printed fact vouched for, and the reason in the words the page shows.</summary>
    private static void AssertCannotBeVerified(JsonNode result, string reason)
    {
        Assert.False((bool)result["authentic"]!);
        Assert.Null(result["status"]);
        Assert.Null(result["holderName"]);
        Assert.StartsWith("This record cannot be verified", (string?)result["problem"]);
        Assert.Contains(reason, (string?)result["problem"]);
    }

    private Task<HttpResponseMessage> RevokeAsync(ApiHost host, string id)
        => host.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/revocation", new { reason = "Exam fraud" }, Role.ProgramManager);

    private async Task<string> IssueAsync() => await _api.IssueAsync(await _api.CreateProgramAsync());

    [Fact]
    public async Task A_credential_the_app_wrote_is_anchored_and_verifies()
    {
        var id = await IssueAsync();

        var stored = await ReadAsync(id);

        Assert.Equal(AnchorKeys.Development(ApiHost.AnchorKey).Id, stored.Anchor!.KeyId);
        Assert.True((bool)(await VerifyAsync(_api, id))["authentic"]!);
    }

    [Fact]
    public async Task An_edited_field_with_the_chain_recomputed_cannot_be_verified()
    {
        var id = await IssueAsync();
        var genuine = await ReadAsync(id);

        await WriteAsync(Forgery.Rechain(genuine with { Holder = genuine.Holder with { LegalName = "Mallory Forger" } }));

        AssertCannotBeVerified(await VerifyAsync(_api, id), "its anchor does not match the record");
    }

    [Fact]
    public async Task A_revocation_dropped_from_the_chain_with_the_earlier_state_restored_cannot_be_verified()
    {
        var id = await IssueAsync();
        var beforeRevocation = await ReadAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(_api, id)).StatusCode);
        var revoked = await ReadAsync(id);

        // The attacker keeps the anchor the revocation got: the only current one there is.
        await WriteAsync(beforeRevocation with { Anchor = revoked.Anchor });
        AssertCannotBeVerified(await VerifyAsync(_api, id), "its anchor does not match the record");

        // Or makes one for the truncated chain with a key of their own under the issuer's key id.
        await WriteAsync(beforeRevocation with { Anchor = AuditAnchor.Make(revoked.Anchor!.KeyId, AttackersKey, id, beforeRevocation.AuditTrail) });
        AssertCannotBeVerified(await VerifyAsync(_api, id), "its anchor does not match the record");
    }

    /// <summary>
    /// The known limit the README's threat model states: an earlier genuine version restored whole,
    /// with the anchor it had then, is a record the issuer did seal. A per-record MAC cannot tell it
    /// from the current one; a cross-check against state held elsewhere (the status list) can.
    /// </summary>
    [Fact]
    public async Task An_earlier_genuine_version_restored_whole_with_its_own_anchor_still_verifies_by_the_anchor_alone()
    {
        var id = await IssueAsync();
        var beforeRevocation = await ReadAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(_api, id)).StatusCode);

        await WriteAsync(beforeRevocation);

        Assert.True((bool)(await VerifyAsync(_api, id))["authentic"]!);
    }

    [Fact]
    public async Task A_whole_document_forged_in_the_container_cannot_be_verified()
    {
        var forged = A.Credential(seed: Random.Shared.Next());

        await WriteAsync(forged);
        AssertCannotBeVerified(await VerifyAsync(_api, forged.CertificateId), "it has no anchor");

        await WriteAsync(forged with { Anchor = AuditAnchor.Make(AnchorKeys.Development(ApiHost.AnchorKey).Id, AttackersKey, forged.CertificateId, forged.AuditTrail) });
        AssertCannotBeVerified(await VerifyAsync(_api, forged.CertificateId), "its anchor does not match the record");
    }

    [Fact]
    public async Task Two_records_with_their_chains_and_anchors_swapped_cannot_be_verified()
    {
        var (mine, theirs) = (await ReadAsync(await IssueAsync()), await ReadAsync(await IssueAsync()));

        await WriteAsync(mine with { AuditTrail = theirs.AuditTrail, Anchor = theirs.Anchor });
        AssertCannotBeVerified(await VerifyAsync(_api, mine.CertificateId), "its audit trail does not match the record");

        await WriteAsync(Forgery.Rechain(mine with { AuditTrail = theirs.AuditTrail, Anchor = theirs.Anchor }));
        AssertCannotBeVerified(await VerifyAsync(_api, mine.CertificateId), "its anchor does not match the record");

        await WriteAsync(mine with { Anchor = theirs.Anchor });
        AssertCannotBeVerified(await VerifyAsync(_api, mine.CertificateId), "its anchor does not match the record");
    }

    [Fact]
    public async Task A_malformed_anchor_or_one_naming_a_key_the_issuer_does_not_hold_cannot_be_verified()
    {
        var id = await IssueAsync();
        var genuine = await ReadAsync(id);

        await WriteAsync(genuine with { Anchor = genuine.Anchor! with { Mac = "forged" } });
        AssertCannotBeVerified(await VerifyAsync(_api, id), "its anchor is malformed");

        await WriteAsync(genuine with { Anchor = AuditAnchor.Make("development-000000000000", AttackersKey, id, genuine.AuditTrail) });
        AssertCannotBeVerified(await VerifyAsync(_api, id), "its anchor names a key the issuer does not hold");
    }

    [Fact]
    public async Task A_renewed_record_is_anchored_again_and_still_verifies()
    {
        var programId = await _api.CreateProgramAsync();
        var id = await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-340)));
        var issued = await ReadAsync(id);

        var renewal = await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/renewals/exam-result",
            new { cycle = 1, score = 91, completedAt = DateTimeOffset.UtcNow.AddDays(-1) }, Role.ProgramManager);

        Assert.Equal(HttpStatusCode.OK, renewal.StatusCode);
        Assert.NotEqual(issued.Anchor, (await ReadAsync(id)).Anchor);
        var result = await VerifyAsync(_api, id);
        Assert.True((bool)result["authentic"]!);
        Assert.Equal(issued.ExpiresAt!.Value.AddYears(1), result["expiresAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task After_a_key_rotation_old_anchors_still_verify_and_the_next_write_uses_the_new_key()
    {
        var id = await IssueAsync();
        var oldKey = AnchorKeys.Development(ApiHost.AnchorKey);
        var newKey = new AnchorKey("rotated", SHA256.HashData("the next anchor key"u8));
        var database = _api.Services.GetRequiredService<IOptions<CosmosOptions>>().Value.DatabaseName;
        await using var rotated = await ApiHost.StartAsync(_api.CosmosEndpoint,
            settings: new Dictionary<string, string?> { ["Cosmos:DatabaseName"] = database },
            overrides: services => services.AddSingleton<IAnchorKeys>(new ConfiguredAnchorKeys(newKey, oldKey)));

        Assert.True((bool)(await VerifyAsync(rotated, id))["authentic"]!);
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(rotated, id)).StatusCode);

        Assert.Equal("rotated", (await ReadAsync(id)).Anchor!.KeyId);
        Assert.Equal("revoked", (string?)(await VerifyAsync(rotated, id))["status"]);
        // A host that was never given the new key cannot vouch for what it sealed.
        AssertCannotBeVerified(await VerifyAsync(_api, id), "its anchor names a key the issuer does not hold");
    }
}
