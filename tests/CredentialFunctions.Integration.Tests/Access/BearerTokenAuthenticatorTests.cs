using System.Security.Claims;
using CredentialFunctions.Adapters.Access;
using CredentialFunctions.Application.Access;
using CredentialFunctions.Testing.Api;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialFunctions.Integration.Tests.Access;

public sealed class BearerTokenAuthenticatorTests
{
    private static readonly AccessOptions Options = new() { Audience = ApiHost.Audience, DevelopmentSigningKey = ApiHost.SigningKey };

    /// <summary>A validly signed token whose roles claim carries exactly these strings, as a misconfigured or hostile issuer might send them.</summary>
    private static string TokenWithRoleClaims(params string[] values) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Options.DevelopmentIssuer,
        Audience = Options.Audience,
        Subject = new ClaimsIdentity([new Claim("sub", "tester"), .. values.Select(v => new Claim(BearerTokenAuthenticator.RolesClaim, v))]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(BearerTokenAuthenticator.DevelopmentKey(ApiHost.SigningKey), SecurityAlgorithms.HmacSha256),
    });

    private static async Task<IReadOnlySet<Role>> RolesOf(params string[] claimValues)
    {
        var outcome = await new BearerTokenAuthenticator(Microsoft.Extensions.Options.Options.Create(Options)).AuthenticateAsync("Bearer " + TokenWithRoleClaims(claimValues));
        return outcome.Caller?.Roles ?? throw new InvalidOperationException(outcome.Problem);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("Learner,Administrator")]
    [InlineData("Learner, ProgramManager")]
    [InlineData("administrator")]
    [InlineData(" Administrator")]
    public async Task A_role_claim_that_is_not_exactly_a_role_name_grants_no_role(string claim)
        => Assert.Empty(await RolesOf(claim));

    [Fact]
    public async Task Each_exact_role_name_grants_that_role_and_nothing_more()
        => Assert.Equal([Role.Auditor, Role.Supervisor], (await RolesOf("Auditor", "Supervisor", "0")).Order());
}
