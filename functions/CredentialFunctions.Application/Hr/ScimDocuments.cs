using System.Text.Json.Nodes;
using CredentialFunctions.Application.Ports;

namespace CredentialFunctions.Application.Hr;

/// <summary>
/// What the SCIM endpoints answer: a User with its id and meta (RFC 7643 §3.1), a list response,
/// and the discovery documents (RFC 7644 §4) that tell a client what this endpoint does.
/// </summary>
/// <param name="BaseUri">The endpoint's base, ending in "/" (…/scim/v2/): every location is under it.</param>
public sealed class ScimDocuments(Uri baseUri)
{
    public Uri LocationOf(string userId) => new(baseUri, "Users/" + userId);

    public JsonObject User(Versioned<DirectoryUser> stored)
    {
        var user = stored.Value;
        var json = new JsonObject { ["id"] = user.Id };
        foreach (var (name, value) in user.Resource) json[name] = value?.DeepClone();
        // A User is active unless HR said otherwise: clients (Entra ID among them) read the attribute back after a disable.
        json["active"] ??= true;
        json["meta"] = new JsonObject
        {
            ["resourceType"] = "User",
            ["created"] = user.Created,
            ["lastModified"] = user.LastModified,
            ["version"] = ScimVersion.Of(stored.ETag),
            ["location"] = LocationOf(user.Id).ToString(),
        };
        return json;
    }

    public ScimListResponse List(DirectoryPage page)
        => new([ScimSchema.ListResponse], page.Total, page.StartIndex, page.Users.Count, [.. page.Users.Select(User)]);

    public ScimListResponse Schemas() => Listed([.. ScimSchema.All.Select(s => s.ToJson(baseUri))]);

    public ScimListResponse ResourceTypes() => Listed([UserResourceType()]);

    public JsonObject UserResourceType() => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ResourceType"),
        ["id"] = "User",
        ["name"] = "User",
        ["endpoint"] = "/Users",
        ["description"] = "A person HR provisions: a joiner is linked to a learner, a mover moves their credentials, a leaver's credentials stop being tracked.",
        ["schema"] = ScimSchema.User,
        ["schemaExtensions"] = new JsonArray(
            new JsonObject { ["schema"] = ScimSchema.Enterprise, ["required"] = false },
            new JsonObject { ["schema"] = ScimSchema.Directory, ["required"] = false }),
        ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = new Uri(baseUri, "ResourceTypes/User").ToString() },
    };

    public JsonObject ServiceProviderConfig() => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"),
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = HrProvisioning.MaxCount },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = true },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "Bearer token",
            ["description"] = "The provisioning secret token, or an Entra ID token with the HrProvisioning app role.",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = new Uri(baseUri, "ServiceProviderConfig").ToString() },
    };

    private static ScimListResponse Listed(IReadOnlyList<JsonObject> resources) => new([ScimSchema.ListResponse], resources.Count, 1, resources.Count, resources);
}

/// <summary>A SCIM list response (RFC 7644 §3.4.2); "Resources" is capitalised as the RFC spells it.</summary>
public sealed record ScimListResponse(
    IReadOnlyList<string> Schemas, int TotalResults, int StartIndex, int ItemsPerPage,
    [property: System.Text.Json.Serialization.JsonPropertyName("Resources")] IReadOnlyList<JsonObject> Resources);

/// <summary>A SCIM error (RFC 7644 §3.12): the status as a string, and for a 400 or 409 what kind of error.</summary>
public sealed record ScimError(IReadOnlyList<string> Schemas, string Status, string Detail)
{
    /// <summary>Only 400 and 409 errors have one; absent, not null, on the others.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ScimType { get; init; }

    public static ScimError Of(int status, string? scimType, string detail)
        => new([ScimSchema.Error], status.ToString(System.Globalization.CultureInfo.InvariantCulture), detail) { ScimType = scimType };
}
