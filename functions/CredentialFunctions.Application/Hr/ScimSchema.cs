using System.Text.Json.Nodes;

namespace CredentialFunctions.Application.Hr;

/// <summary>One attribute of a SCIM schema (RFC 7643 §7), as the Schemas endpoint serves it and as requests are checked against it.</summary>
public sealed record ScimAttribute(
    string Name, string Type, string Description, bool MultiValued = false, bool Required = false,
    string Mutability = "readWrite", string Uniqueness = "none", bool CaseExact = false,
    IReadOnlyList<ScimAttribute>? SubAttributes = null)
{
    public ScimAttribute? Sub(string name) => SubAttributes?.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["type"] = Type,
            ["multiValued"] = MultiValued,
            ["description"] = Description,
            ["required"] = Required,
            ["caseExact"] = CaseExact,
            ["mutability"] = Mutability,
            ["returned"] = "default",
            ["uniqueness"] = Uniqueness,
        };
        if (SubAttributes is { } subs) json["subAttributes"] = new JsonArray([.. subs.Select(s => (JsonNode)s.ToJson())]);
        return json;
    }
}

/// <summary>A SCIM schema: its URN and attributes.</summary>
public sealed record ScimSchemaDefinition(string Id, string Name, string Description, IReadOnlyList<ScimAttribute> Attributes)
{
    public ScimAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public JsonObject ToJson(Uri baseUri) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Schema"),
        ["id"] = Id,
        ["name"] = Name,
        ["description"] = Description,
        ["attributes"] = new JsonArray([.. Attributes.Select(a => (JsonNode)a.ToJson())]),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = new Uri(baseUri, "Schemas/" + Id).ToString() },
    };
}

/// <summary>
/// The User resource this endpoint keeps: the core User schema (RFC 7643 §4.1) with the attributes
/// Entra ID's default mapping sends, the enterprise extension (§4.3), and one extension of ours for
/// the person's Entra object id, which is what names a supervisor (see <see cref="ObjectId"/>).
/// </summary>
public static class ScimSchema
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string Directory = "urn:ietf:params:scim:schemas:extension:credentialfunctions:2.0:User";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string Error = "urn:ietf:params:scim:api:messages:2.0:Error";

    /// <summary>The attribute of our extension holding the person's Entra object id: the subject of their token, by which a supervisor is assigned.</summary>
    public const string ObjectId = "objectId";

    private static ScimAttribute Text(string name, string description, bool caseExact = false) => new(name, "string", description, CaseExact: caseExact);

    private static ScimAttribute Typed(string name, string description, params ScimAttribute[] subs)
        => new(name, "complex", description, MultiValued: true, SubAttributes:
        [
            .. subs,
            Text("type", "A label: work, home, other (mobile, fax for phone numbers)."),
            new ScimAttribute("primary", "boolean", "The preferred value."),
            Text("display", "A human-readable name."),
        ]);

    public static readonly ScimSchemaDefinition UserSchema = new(User, "User", "A person: an employee or other learner whose credentials are tracked.",
    [
        new("userName", "string", "The unique name the identity provider knows the person by (a UPN in Entra ID).", Required: true, Uniqueness: "server"),
        new("name", "complex", "The person's name.", SubAttributes:
        [
            Text("formatted", "The full name."), Text("familyName", "The family name."), Text("givenName", "The given name."),
            Text("middleName", "Middle names."), Text("honorificPrefix", "E.g. Ms."), Text("honorificSuffix", "E.g. III."),
        ]),
        Text("displayName", "The name to display."),
        Text("nickName", "A casual name."),
        Text("title", "The job title."),
        Text("userType", "The relationship to the organization, e.g. Employee or Contractor."),
        Text("preferredLanguage", "The preferred language (RFC 7231 Accept-Language form)."),
        Text("locale", "The locale, e.g. en-US."),
        Text("timezone", "The time zone (IANA name)."),
        new("active", "boolean", "False when the person has left: their credentials are no longer tracked for the employer."),
        Typed("emails", "Email addresses.", Text("value", "The address.")),
        Typed("phoneNumbers", "Phone numbers.", Text("value", "The number.")),
        Typed("addresses", "Postal addresses; the work address's locality is the job site.",
            Text("formatted", "The full address."), Text("streetAddress", "The street."), Text("locality", "The city or site: the job site."),
            Text("region", "The state or region."), Text("postalCode", "The postal code."), Text("country", "The country (ISO 3166-1 alpha-2).")),
        Typed("roles", "Roles in the organization.", Text("value", "The role.")),
    ]);

    public static readonly ScimSchemaDefinition EnterpriseSchema = new(Enterprise, "EnterpriseUser", "The enterprise extension (RFC 7643 §4.3).",
    [
        Text("employeeNumber", "The HR system's employee number: the first key a joiner is linked to a learner by (the credentials' hrId).", caseExact: true),
        Text("costCenter", "The cost center."),
        Text("organization", "The organization."),
        Text("division", "The division."),
        Text("department", "The department: the team of the person's credentials."),
        new("manager", "complex", "The person's manager: their supervisor for renewal sign-off.", SubAttributes:
        [
            new ScimAttribute("value", "string", "The SCIM id of the manager's User.", CaseExact: true),
            new ScimAttribute("$ref", "reference", "The URI of the manager's User.", CaseExact: true),
            new ScimAttribute("displayName", "string", "The manager's name.", Mutability: "readOnly"),
        ]),
    ]);

    public static readonly ScimSchemaDefinition DirectorySchema = new(Directory, "CredentialFunctionsUser", "What this service needs beyond the standard schemas.",
    [
        Text(ObjectId, "The person's Entra object id (the oid of their tokens): a manager with one is assigned as supervisor of their reports.", caseExact: true),
    ]);

    public static readonly IReadOnlyList<ScimSchemaDefinition> All = [UserSchema, EnterpriseSchema, DirectorySchema];

    public static ScimSchemaDefinition? Find(string urn) => All.FirstOrDefault(s => s.Id.Equals(urn, StringComparison.OrdinalIgnoreCase));
}
