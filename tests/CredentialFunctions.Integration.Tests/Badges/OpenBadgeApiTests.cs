using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Signing;
using CredentialFunctions.Domain.Credentials;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Json.Schema;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using IdentityModelKeySet = Microsoft.IdentityModel.Tokens.JsonWebKeySet;

namespace CredentialFunctions.Integration.Tests.Badges;

/// <summary>
/// A credential's Open Badges 3.0 VC-JWT as a wallet or verifier receives it. The official schema is
/// 1EdTech's https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json
/// (the VC 2.0 edition of OB 3.0), committed beside this file as educredentials/obv3-examples keeps it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenBadgeApiTests(ApiFixture fixture)
{
    private static readonly JsonSchema AchievementCredentialSchema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Badges", "ob_v3p0_achievementcredential_schema.json"));

    private readonly ApiHost _api = fixture.Host;

    internal static HttpRequestMessage Anonymous(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", VerificationApiTests.NewClient());
        return request;
    }

    internal static async Task<string> BadgeAsync(ApiHost api, string certificateId)
    {
        using var response = await api.Client.SendAsync(Anonymous($"/api/credentials/{certificateId}/badge"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vc+jwt", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    internal static JsonObject PayloadOf(string jwt) => JsonNode.Parse(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!.AsObject();

    [Fact]
    public async Task The_badge_is_an_OpenBadgeCredential_the_official_schema_accepts()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);

        var vc = PayloadOf(await BadgeAsync(_api, certificateId));

        var result = AchievementCredentialSchema.Evaluate(JsonDocument.Parse(vc.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        Assert.Equal(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], vc["@context"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(["VerifiableCredential", "OpenBadgeCredential"], vc["type"]!.AsArray().Select(c => (string?)c));
        Assert.Equal($"http://localhost:7071/api/verify/{certificateId}", (string?)vc["id"]);
        Assert.Equal(("http://localhost:7071/api/issuer", ApiHost.IssuerName), ((string?)vc["issuer"]!["id"], (string?)vc["issuer"]!["name"]));
        Assert.Equal(["Profile"], vc["issuer"]!["type"]!.AsArray().Select(c => (string?)c));
        Assert.NotNull(vc["validFrom"]);
        Assert.NotNull(vc["validUntil"]);
        Assert.Equal(("BitstringStatusListEntry", "revocation"), ((string?)vc["credentialStatus"]!["type"], (string?)vc["credentialStatus"]!["statusPurpose"]));
        var subject = vc["credentialSubject"]!;
        Assert.Equal(["AchievementSubject"], subject["type"]!.AsArray().Select(c => (string?)c));
        var achievement = subject["achievement"]!;
        Assert.Equal(("Certified Widgetmaker", "Achievement"), ((string?)achievement["name"], (string?)achievement["type"]![0]));
        Assert.NotNull(achievement["id"]);
        Assert.NotNull(achievement["description"]);
        Assert.Contains("70", (string?)achievement["criteria"]!["narrative"]);
        var score = subject["result"]!.AsArray().Single(r => ((string?)r!["resultDescription"])!.EndsWith(":score", StringComparison.Ordinal))!;
        Assert.Equal("88", (string?)score["value"]);
        Assert.Equal("70", (string?)achievement["resultDescription"]!.AsArray().Single(d => (string?)d!["name"] == "Score")!["requiredValue"]);
        Assert.Equal(2.5, (double)subject["creditsEarned"]!);
    }

    [Fact]
    public async Task The_holder_is_named_and_their_email_only_salted_and_hashed()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);

        var jwt = await BadgeAsync(_api, certificateId);

        var identifiers = PayloadOf(jwt)["credentialSubject"]!["identifier"]!.AsArray();
        var email = identifiers.Single(i => (string?)i!["identityType"] == "emailAddress")!;
        Assert.True((bool)email["hashed"]!);
        var salt = (string)email["salt"]!;
        Assert.Equal("sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("ada@example.org" + salt))), (string?)email["identityHash"]);
        Assert.Equal("Ada King Lovelace", (string?)identifiers.Single(i => (string?)i!["identityType"] == "name")!["identityHash"]);
        Assert.DoesNotContain("ada@example.org", Base64UrlEncoder.Decode(jwt.Split('.')[1]));
    }

    [Fact]
    public async Task The_VC_JWT_verifies_against_the_published_keys_with_the_claims_OB_3_0_names()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);

        var jwt = await BadgeAsync(_api, certificateId);

        using var keys = await _api.Client.SendAsync(Anonymous("/api/issuer/jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = new IdentityModelKeySet(await keys.Content.ReadAsStringAsync()).GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidIssuer = "http://localhost:7071/api/issuer",
            ValidateAudience = false,
            TryAllIssuerSigningKeys = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal(("RS256", VcJwtSigner.VerifiableCredentialType), (token.Alg, token.Typ));
        var vc = PayloadOf(jwt);
        Assert.Equal((string?)vc["id"], token.Id);
        Assert.Equal(DateTimeOffset.Parse((string)vc["validFrom"]!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, token.ValidFrom);
        Assert.Equal(DateTimeOffset.Parse((string)vc["validUntil"]!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, token.ValidTo);
        Assert.False(token.TryGetPayloadValue<string>("sub", out _)); // the subject has no id; its identifier names the holder
    }

    [Fact]
    public async Task A_mistyped_or_unknown_id_is_a_problem()
    {
        var neverIssued = CertificateId.FromRandomBytes(Enumerable.Repeat((byte)9, 15).ToArray()).Value;

        await Problem.AssertAsync(await _api.Client.SendAsync(Anonymous("/api/credentials/not-an-id/badge")), HttpStatusCode.BadRequest, "malformed-certificate-id");
        await Problem.AssertAsync(await _api.Client.SendAsync(Anonymous($"/api/credentials/{neverIssued}/badge")), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_record_edited_behind_the_apps_back_gets_no_signed_badge()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId);
        await _api.EditBehindTheAppsBackAsync(certificateId, document => document["holder"]!["legalName"] = "Mallory Forger");

        await Problem.AssertAsync(await _api.Client.SendAsync(Anonymous($"/api/credentials/{certificateId}/badge")), HttpStatusCode.Conflict, "record-unverifiable");
    }
}
