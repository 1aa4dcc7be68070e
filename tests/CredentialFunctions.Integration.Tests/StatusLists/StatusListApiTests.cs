using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Domain.StatusLists;
using CredentialFunctions.Integration.Tests.Api;
using CredentialFunctions.Testing.Api;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using IdentityModelKeySet = Microsoft.IdentityModel.Tokens.JsonWebKeySet;

namespace CredentialFunctions.Integration.Tests.StatusLists;

/// <summary>
/// The status list credentials as a verifier meets them: anonymous, cacheable, signed with the
/// issuer's published keys, and checked the way the recommendation says a verifier checks a bit.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StatusListApiTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;

    private HttpRequestMessage Anonymous(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", VerificationApiTests.NewClient());
        return request;
    }

    private async Task<JsonElement> SuspendedAsync()
    {
        var programId = await _api.CreateProgramAsync();
        var id = await _api.IssueAsync(programId);
        return await ApiHost.ReadJsonAsync(await _api.SendAsync(HttpMethod.Post, $"/api/credentials/{id}/suspension", new { reason = "Complaint under review" }, Role.ProgramManager));
    }

    [Fact]
    public async Task A_verifier_finds_a_suspended_credential_s_bit_set_in_the_signed_list_its_entry_names()
    {
        var record = await SuspendedAsync();
        var entry = record.GetProperty("statusLists").GetProperty("suspension");
        var (list, index) = (entry.GetProperty("list").GetInt32(), entry.GetProperty("index").GetInt32());
        var url = $"http://localhost:7071/api/status/suspension/{list}";

        using var response = await _api.Client.SendAsync(Anonymous($"/api/status/suspension/{list}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vc+jwt", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        var validated = await ValidateAsync(await response.Content.ReadAsStringAsync());
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var jwt = (JsonWebToken)validated.SecurityToken;
        Assert.Equal(("RS256", "vc+jwt"), (jwt.Alg, jwt.Typ));
        var vc = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload))!;
        Assert.Equal(["https://www.w3.org/ns/credentials/v2"], vc["@context"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(["VerifiableCredential", "BitstringStatusListCredential"], vc["type"]!.AsArray().Select(t => (string?)t));
        Assert.Equal((url, url, "http://localhost:7071/api/issuer"), ((string?)vc["id"], jwt.Id, (string?)vc["issuer"]));
        Assert.Equal((string?)vc["issuer"], jwt.Issuer);
        var subject = vc["credentialSubject"]!;
        Assert.Equal(($"{url}#list", "BitstringStatusList", "suspension"), ((string?)subject["id"], (string?)subject["type"], (string?)subject["statusPurpose"]));
        // The recommendation's check: decode encodedList, read the bit at statusListIndex.
        var bits = Bitstring.Decode((string)subject["encodedList"]!);
        Assert.True(bits.Length >= Bitstring.MinimumLength);
        Assert.True(bits[index]);
    }

    [Fact]
    public async Task A_badge_s_credentialStatus_names_its_revocation_entry_and_the_list_it_names_resolves()
    {
        var record = await SuspendedAsync();
        var id = record.GetProperty("certificateId").GetString();

        using var badge = await _api.Client.SendAsync(Anonymous($"/api/credentials/{id}/badge"));

        Assert.Equal(HttpStatusCode.OK, badge.StatusCode);
        var vc = JsonNode.Parse(Base64UrlEncoder.Decode(new JsonWebToken(await badge.Content.ReadAsStringAsync()).EncodedPayload))!;
        var entry = vc["credentialStatus"]!.AsObject();
        var stored = record.GetProperty("statusLists").GetProperty("revocation");
        var url = $"http://localhost:7071/api/status/revocation/{stored.GetProperty("list").GetInt32()}";
        var index = stored.GetProperty("index").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(($"{url}#{index}", "BitstringStatusListEntry", "revocation", index, url),
            ((string?)entry["id"], (string?)entry["type"], (string?)entry["statusPurpose"], (string?)entry["statusListIndex"], (string?)entry["statusListCredential"]));
        using var list = await _api.Client.SendAsync(Anonymous(new Uri(url).PathAndQuery));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var subject = JsonNode.Parse(Base64UrlEncoder.Decode(new JsonWebToken(await list.Content.ReadAsStringAsync()).EncodedPayload))!["credentialSubject"]!;
        // Suspended, not revoked: the revocation bit the badge points at stays clear.
        Assert.False(Bitstring.Decode((string)subject["encodedList"]!)[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [Theory]
    [InlineData("/api/status/revoked/1", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/status/revocation/999999", HttpStatusCode.NotFound, "not-found")]
    [InlineData("/api/status/revocation/0", HttpStatusCode.BadRequest, "validation")]
    [InlineData("/api/status/suspension/one", HttpStatusCode.BadRequest, "validation")]
    [InlineData("/api/status/suspension/-1", HttpStatusCode.BadRequest, "validation")]
    public async Task An_unknown_purpose_or_list_is_404_and_a_list_that_is_no_number_400(string path, HttpStatusCode status, string type)
    {
        await SuspendedAsync();
        await Problem.AssertAsync(await _api.Client.SendAsync(Anonymous(path)), status, type);
    }

    private async Task<TokenValidationResult> ValidateAsync(string token)
    {
        using var keys = await _api.Client.SendAsync(Anonymous("/api/issuer/jwks"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = new IdentityModelKeySet(await keys.Content.ReadAsStringAsync()).GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidIssuer = "http://localhost:7071/api/issuer",
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
    }
}
