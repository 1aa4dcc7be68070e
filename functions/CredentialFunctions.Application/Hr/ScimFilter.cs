using System.Text.Json;
using System.Text.RegularExpressions;

namespace CredentialFunctions.Application.Hr;

/// <summary>The attributes a list of Users can be filtered by: what Entra ID matches a person on before it creates them.</summary>
public enum ScimFilterAttribute { UserName, ExternalId, Id }

/// <summary>
/// A list filter of RFC 7644 §3.4.2.2, in the one form provisioning clients send to find a person:
/// <c>userName eq "…"</c> (or externalId, id). Anything else is refused as invalidFilter rather than
/// answered with everyone, which a client would read as "they exist".
/// </summary>
public sealed partial record ScimFilter(ScimFilterAttribute Attribute, string Value)
{
    public static ScimFilter Parse(string filter)
    {
        var match = Grammar().Match(filter);
        if (!match.Success)
            throw ScimException.BadRequest(ScimErrorType.InvalidFilter, "Filter by userName, externalId or id with eq and a quoted value, e.g. userName eq \"ada@example.org\".");
        var attribute = Enum.Parse<ScimFilterAttribute>(match.Groups["attribute"].Value, ignoreCase: true);
        var value = JsonSerializer.Deserialize<string>(match.Groups["value"].Value)!;
        return new ScimFilter(attribute, value);
    }

    [GeneratedRegex(@"^\s*(?<attribute>userName|externalId|id)\s+eq\s+(?<value>""(?:[^""\\]|\\.)*"")\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
