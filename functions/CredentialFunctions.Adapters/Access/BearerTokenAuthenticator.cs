using System.Security.Claims;
using System.Text;
using CredentialFunctions.Application.Access;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CredentialFunctions.Adapters.Access;

/// <summary>Why a bearer token was not accepted, worded for the caller.</summary>
public sealed record AuthenticationOutcome(Caller? Caller, string? Problem);

/// <summary>
/// Validates bearer JWTs: Entra ID in Azure (signing keys from the authority's OpenID metadata,
/// refreshed by the configuration manager), or a development HMAC key locally. Roles come from
/// the "roles" claim, which is how Entra ID issues app roles.
/// </summary>
public sealed class BearerTokenAuthenticator
{
    public const string RolesClaim = "roles";
    public const string LearnerIdClaim = "learner_id";

    /// <summary>
    /// Exact, case-sensitive names only: Enum.TryParse would also read "0" as Administrator and
    /// "Learner,Administrator" as a role, so a token could carry a role nobody assigned by that name.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Role> RolesByName = Enum.GetValues<Role>().ToDictionary(r => r.ToString(), StringComparer.Ordinal);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;

    public BearerTokenAuthenticator(IOptions<AccessOptions> options)
    {
        var o = options.Value;
        _parameters = new TokenValidationParameters
        {
            ValidAudience = o.Audience,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
            RoleClaimType = RolesClaim,
            NameClaimType = "name",
        };
        if (!string.IsNullOrWhiteSpace(o.Authority))
        {
            var metadata = o.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            _parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
        }
        else if (!string.IsNullOrWhiteSpace(o.DevelopmentSigningKey))
        {
            _parameters.IssuerSigningKey = DevelopmentKey(o.DevelopmentSigningKey);
            _parameters.ValidIssuer = o.DevelopmentIssuer;
        }
        else
        {
            throw new InvalidOperationException($"Set {AccessOptions.Section}__{nameof(AccessOptions.Authority)} (Entra ID) or, locally, {AccessOptions.Section}__{nameof(AccessOptions.DevelopmentSigningKey)}.");
        }
    }

    public static SymmetricSecurityKey DevelopmentKey(string base64) => new(Convert.FromBase64String(base64)) { KeyId = "development" };

    public async Task<AuthenticationOutcome> AuthenticateAsync(string? authorizationHeader)
    {
        const string scheme = "Bearer ";
        if (string.IsNullOrWhiteSpace(authorizationHeader) || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return new(null, "Send a bearer token: Authorization: Bearer <token>.");
        var result = await _handler.ValidateTokenAsync(authorizationHeader[scheme.Length..].Trim(), _parameters);
        if (!result.IsValid)
            return new(null, result.Exception switch
            {
                SecurityTokenExpiredException => "The bearer token has expired.",
                SecurityTokenInvalidAudienceException => "The bearer token was not issued for this API.",
                _ => "The bearer token is not valid.",
            });
        var identity = result.ClaimsIdentity;
        var id = identity.FindFirst("oid")?.Value ?? identity.FindFirst("sub")?.Value;
        if (id is null) return new(null, "The bearer token names no subject.");
        var roles = identity.FindAll(RolesClaim)
            .Select(c => RolesByName.TryGetValue(c.Value, out var role) ? role : (Role?)null)
            .OfType<Role>().ToHashSet();
        return new(Caller.User(id, roles, identity.FindFirst(LearnerIdClaim)?.Value), null);
    }

    /// <summary>Mints a token the development key validates: the local host's `token` command and the tests use it.</summary>
    public static string MintDevelopmentToken(AccessOptions options, string subject, IEnumerable<Role> roles, string? learnerId, TimeSpan lifetime, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange(roles.Select(r => new Claim(RolesClaim, r.ToString())));
        if (learnerId is not null) claims.Add(new Claim(LearnerIdClaim, learnerId));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.DevelopmentIssuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(
                DevelopmentKey(options.DevelopmentSigningKey ?? throw new InvalidOperationException("No development signing key is configured.")),
                SecurityAlgorithms.HmacSha256),
        });
    }
}
