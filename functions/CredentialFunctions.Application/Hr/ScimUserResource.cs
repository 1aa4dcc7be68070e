using System.Text.Json;
using System.Text.Json.Nodes;

namespace CredentialFunctions.Application.Hr;

/// <summary>
/// What HR's record of a person means for their credentials, read from a User resource: the keys a
/// joiner is linked to a learner by, whether they are still employed, and where they sit.
/// </summary>
/// <param name="JobSite">The locality of the work address (Entra ID maps its city there by default).</param>
/// <param name="ManagerId">The SCIM id of the manager's User.</param>
public sealed record HrFacts(string UserName, string? ExternalId, bool Active, string? EmployeeNumber, string? Email,
    string? Department, string? JobSite, string? ManagerId, string? ObjectId);

/// <summary>
/// A User resource checked against <see cref="ScimSchema"/> and put in canonical form: attribute
/// names spelt as the schema spells them (SCIM names are case-insensitive), booleans sent as
/// "True"/"False" read as booleans, a single value where a list is due read as a list of one, a
/// string where a complex attribute with a value is due (Entra ID's manager) read as its value,
/// nulls and empty strings dropped. An attribute the schemas do not have is refused: quietly
/// dropping it would lose what the client meant to set.
/// </summary>
public static class ScimUserResource
{
    /// <summary>RFC 7643 §3.1's common attribute, set by the provisioning client: the external id a joiner is linked to the LMS by.</summary>
    public static readonly ScimAttribute ExternalId = new("externalId", "string", "The client's id of the person: the LMS's id of the learner.", CaseExact: true);

    public const int MaxValueLength = 1000;
    public const int MaxValuesPerAttribute = 20;

    /// <summary>The readOnly attributes a client may echo back in a PUT or POST (Entra ID sends meta); ignored there, refused as a PATCH target.</summary>
    public static readonly IReadOnlySet<string> ServerAttributes = new HashSet<string>(["id", "meta"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical resource (schemas, core attributes, one object per extension), without id and meta.</summary>
    public static JsonObject Normalise(JsonObject body)
    {
        var schemas = Schemas(body);
        var resource = new JsonObject { ["schemas"] = new JsonArray([.. schemas.Select(s => (JsonNode)s.Id)]) };
        foreach (var (name, value) in body)
        {
            if (name.Equals("schemas", StringComparison.OrdinalIgnoreCase) || ServerAttributes.Contains(name)) continue;
            if (ScimSchema.Find(name) is { } extension && extension != ScimSchema.UserSchema)
            {
                if (value is null) continue;
                if (value is not JsonObject attributes) throw Invalid($"{extension.Id} must be an object of its attributes.");
                var normalised = new JsonObject();
                foreach (var (attributeName, attributeValue) in attributes)
                    Set(normalised, Attribute(extension, attributeName), attributeValue, extension.Id + ":" + attributeName);
                if (normalised.Count > 0) resource[extension.Id] = normalised;
                continue;
            }
            Set(resource, CoreAttribute(name), value, name);
        }
        foreach (var extension in resource.Select(p => p.Key).Where(k => k.StartsWith("urn:", StringComparison.Ordinal)).ToList())
            if (!schemas.Any(s => s.Id == extension))
                throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"The resource sets attributes of {extension} but its schemas do not list it.");
        if (resource["userName"] is null) throw Invalid("userName is required.");
        return resource;
    }

    public static HrFacts Facts(JsonObject resource)
    {
        var enterprise = resource[ScimSchema.Enterprise] as JsonObject;
        return new HrFacts(
            resource["userName"]!.GetValue<string>(),
            Text(resource["externalId"]),
            resource["active"]?.GetValue<bool>() ?? true,
            Text(enterprise?["employeeNumber"]),
            Text(Preferred(resource["emails"] as JsonArray)?["value"]),
            Text(enterprise?["department"]),
            Text(Typed(resource["addresses"] as JsonArray, "work")?["locality"]),
            Text(enterprise?["manager"]?["value"]),
            Text(resource[ScimSchema.Directory]?[ScimSchema.ObjectId]));
    }

    /// <summary>The attribute of the core schema (or the common externalId) by any spelling; unknown is refused.</summary>
    public static ScimAttribute CoreAttribute(string name)
        => name.Equals(ExternalId.Name, StringComparison.OrdinalIgnoreCase) ? ExternalId : Attribute(ScimSchema.UserSchema, name);

    public static ScimAttribute Attribute(ScimSchemaDefinition schema, string name)
        => schema.Attribute(name) ?? throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"{schema.Name} has no attribute '{name}' (see /Schemas).");

    /// <summary>Sets an attribute to a normalised value, or removes it when the value is empty.</summary>
    public static void Set(JsonObject container, ScimAttribute attribute, JsonNode? value, string path)
    {
        if (attribute.Mutability == "readOnly") return;
        var normalised = Value(attribute, value, path);
        if (normalised is null) container.Remove(attribute.Name);
        else container[attribute.Name] = normalised;
    }

    /// <summary>A value as the attribute takes it, or null when it says "no value".</summary>
    public static JsonNode? Value(ScimAttribute attribute, JsonNode? value, string path)
    {
        if (value is null) return null;
        if (attribute.MultiValued)
        {
            var items = value is JsonArray array ? array.ToList() : [value];
            var normalised = items.Select(i => Single(attribute, i, path)).OfType<JsonNode>().ToList();
            if (normalised.Count > MaxValuesPerAttribute) throw Invalid($"{path} takes at most {MaxValuesPerAttribute} values.");
            return normalised.Count == 0 ? null : new JsonArray([.. normalised]);
        }
        return Single(attribute, value, path);
    }

    private static JsonNode? Single(ScimAttribute attribute, JsonNode? value, string path)
    {
        if (value is null) return null;
        switch (attribute.Type)
        {
            case "complex":
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && attribute.Sub("value") is not null)
                    value = new JsonObject { ["value"] = v.DeepClone() };
                if (value is not JsonObject o) throw Invalid($"{path} must be an object.");
                var complex = new JsonObject();
                foreach (var (name, subValue) in o)
                {
                    var sub = attribute.Sub(name) ?? throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"{path} has no sub-attribute '{name}'.");
                    Set(complex, sub, subValue, $"{path}.{sub.Name}");
                }
                return complex.Count == 0 ? null : complex;
            case "boolean":
                return value.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    // Entra ID sends "True" and "False" as strings in some PATCH requests.
                    JsonValueKind.String when bool.TryParse(value.GetValue<string>(), out var b) => b,
                    _ => throw Invalid($"{path} must be true or false."),
                };
            default:
                if (value.GetValueKind() != JsonValueKind.String) throw Invalid($"{path} must be a string.");
                var text = value.GetValue<string>().Trim();
                if (text.Length > MaxValueLength || text.Any(char.IsControl)) throw Invalid($"{path} must be at most {MaxValueLength} characters, without control characters.");
                return text.Length == 0 ? null : text;
        }
    }

    private static IReadOnlyList<ScimSchemaDefinition> Schemas(JsonObject body)
    {
        var node = body.FirstOrDefault(p => p.Key.Equals("schemas", StringComparison.OrdinalIgnoreCase)).Value;
        if (node is not JsonArray { Count: > 0 } array || array.Any(s => s?.GetValueKind() != JsonValueKind.String))
            throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"schemas is required: a list of schema URNs that includes {ScimSchema.User}.");
        var schemas = array.Select(s => ScimSchema.Find(s!.GetValue<string>())
            ?? throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"Unknown schema {s.GetValue<string>()} (see /Schemas).")).Distinct().ToList();
        return schemas.Contains(ScimSchema.UserSchema)
            ? schemas
            : throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"schemas must include {ScimSchema.User}.");
    }

    /// <summary>The value of a multi-valued attribute with that type, case-insensitively (as Entra ID's filters ask).</summary>
    public static JsonObject? Typed(JsonArray? values, string type)
        => values?.OfType<JsonObject>().FirstOrDefault(v => string.Equals(Text(v["type"]), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The work value, else the primary one, else the first.</summary>
    private static JsonObject? Preferred(JsonArray? values)
        => Typed(values, "work") ?? values?.OfType<JsonObject>().FirstOrDefault(v => v["primary"]?.GetValue<bool>() == true) ?? values?.OfType<JsonObject>().FirstOrDefault();

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static ScimException Invalid(string detail) => ScimException.BadRequest(ScimErrorType.InvalidValue, detail);
}
