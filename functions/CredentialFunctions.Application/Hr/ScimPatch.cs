using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CredentialFunctions.Application.Hr;

/// <summary>
/// RFC 7644 §3.5.2 PATCH on a canonical User resource, liberal in what Entra ID sends: operation
/// names in any case ("Replace", "Add"), an operation without a path whose value is an object of
/// attributes (keys may be paths themselves, "name.givenName" or an extension's
/// "urn:…:User:department"), a filtered path that matches nothing (add or replace create the value,
/// as Entra ID expects of emails[type eq "work"].value). The result is normalised again, so every
/// value is checked as a POST's would be.
/// </summary>
public static partial class ScimPatch
{
    public const int MaxOperations = 100;

    public static JsonObject Apply(JsonObject resource, JsonObject request)
    {
        var schemas = Property(request, "schemas") as JsonArray;
        if (schemas is null || !schemas.Any(s => s?.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Equals(ScimSchema.PatchOp, StringComparison.OrdinalIgnoreCase)))
            throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"A PATCH request's schemas must list {ScimSchema.PatchOp}.");
        if (Property(request, "Operations") is not JsonArray { Count: > 0 and <= MaxOperations } operations)
            throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, $"Operations must be a list of 1 to {MaxOperations} operations.");
        var patched = (JsonObject)resource.DeepClone();
        foreach (var operation in operations)
        {
            if (operation is not JsonObject o) throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, "Each operation must be an object.");
            var op = Property(o, "op") is JsonValue name && name.GetValueKind() == JsonValueKind.String ? name.GetValue<string>().ToLowerInvariant() : null;
            var path = Property(o, "path") is JsonValue p && p.GetValueKind() == JsonValueKind.String ? p.GetValue<string>().Trim() : null;
            var value = Property(o, "value");
            switch (op)
            {
                case "add" or "replace" when string.IsNullOrEmpty(path):
                    if (value is not JsonObject attributes)
                        throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"An {op} without a path takes an object of attributes as its value.");
                    foreach (var (key, attributeValue) in attributes) ApplyAttributes(patched, op, key, attributeValue);
                    break;
                case "add" or "replace":
                    Set(patched, ScimPath.Parse(path), op, value);
                    break;
                case "remove" when string.IsNullOrEmpty(path):
                    throw ScimException.BadRequest(ScimErrorType.NoTarget, "A remove needs a path.");
                case "remove":
                    Remove(patched, ScimPath.Parse(path));
                    break;
                default:
                    throw ScimException.BadRequest(ScimErrorType.InvalidSyntax, "Each operation's op must be add, replace or remove.");
            }
        }
        return ScimUserResource.Normalise(patched);
    }

    /// <summary>A key of a path-less value: an extension's URN with an object of its attributes, or a path.</summary>
    private static void ApplyAttributes(JsonObject resource, string op, string key, JsonNode? value)
    {
        if (ScimSchema.Find(key) is { } extension && extension != ScimSchema.UserSchema && value is JsonObject attributes)
        {
            foreach (var (name, attributeValue) in attributes) Set(resource, ScimPath.Parse($"{extension.Id}:{name}"), op, attributeValue);
            return;
        }
        Set(resource, ScimPath.Parse(key), op, value);
    }

    private static void Set(JsonObject resource, ScimPath path, string op, JsonNode? value)
    {
        var container = path.Container(resource, create: true)!;
        var attribute = path.Attribute;
        if (path.Filter is null && path.Sub is null)
        {
            // An add to a list appends; a replace, or an add to a single value, sets it (a complex value is merged, as §3.5.2.1 says).
            var current = container[attribute.Name];
            var next = Clone(value);
            if (attribute.MultiValued && op == "add" && current is JsonArray existing && next is not null)
                next = new JsonArray([.. existing.Select(Clone), .. next is JsonArray more ? more.Select(Clone) : [next]]);
            else if (!attribute.MultiValued && attribute.Type == "complex" && current is JsonObject currentObject && next is JsonObject nextObject)
                next = Merge(currentObject, nextObject);
            container[attribute.Name] = next;
            EnsureSchemaListed(resource, path);
            return;
        }
        if (!attribute.MultiValued)
        {
            var complex = container[attribute.Name] as JsonObject ?? new JsonObject();
            complex[path.Sub!.Name] = Clone(value);
            container[attribute.Name] = complex;
            EnsureSchemaListed(resource, path);
            return;
        }
        var values = container[attribute.Name] as JsonArray ?? [];
        var matches = values.OfType<JsonObject>().Where(path.Matches).ToList();
        if (matches.Count == 0)
        {
            if (path.Sub is null && op == "replace") throw ScimException.BadRequest(ScimErrorType.NoTarget, $"No value of {attribute.Name} matches [{path.Filter}].");
            var created = path.Sub is null ? value as JsonObject ?? throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"{attribute.Name} values are objects.") : new JsonObject();
            created = (JsonObject)created.DeepClone();
            if (path.Filter is { } f) created[f.Attribute] = f.Value.DeepClone();
            if (path.Sub is { } s) created[s.Name] = Clone(value);
            values.Add(created);
        }
        foreach (var match in matches)
        {
            if (path.Sub is { } sub) match[sub.Name] = Clone(value);
            else if (value is JsonObject o) foreach (var (k, v) in o) match[k] = Clone(v);
            else throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"{attribute.Name} values are objects.");
        }
        container[attribute.Name] = values;
        EnsureSchemaListed(resource, path);
    }

    private static void Remove(JsonObject resource, ScimPath path)
    {
        if (path.Container(resource, create: false) is not { } container || container[path.Attribute.Name] is not { } current) return;
        if (path.Filter is null && path.Sub is null)
        {
            container.Remove(path.Attribute.Name);
            return;
        }
        if (!path.Attribute.MultiValued)
        {
            (current as JsonObject)?.Remove(path.Sub!.Name);
            return;
        }
        if (current is not JsonArray values) return;
        foreach (var match in values.OfType<JsonObject>().Where(path.Matches).ToList())
            if (path.Sub is { } sub) match.Remove(sub.Name);
            else values.Remove(match);
    }

    /// <summary>An extension's attribute set by PATCH brings its schema into the resource's schemas.</summary>
    private static void EnsureSchemaListed(JsonObject resource, ScimPath path)
    {
        if (path.Schema == ScimSchema.UserSchema) return;
        var schemas = (JsonArray)resource["schemas"]!;
        if (!schemas.Any(s => s!.GetValue<string>() == path.Schema.Id)) schemas.Add(path.Schema.Id);
    }

    private static JsonObject Merge(JsonObject current, JsonObject next)
    {
        var merged = (JsonObject)current.DeepClone();
        foreach (var (k, v) in next) merged[k] = Clone(v);
        return merged;
    }

    private static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    private static JsonNode? Property(JsonObject o, string name) => o.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A value filter inside a path, <c>type eq "work"</c>: the only form Entra ID sends.</summary>
public sealed record ScimValueFilter(string Attribute, JsonNode Value)
{
    public bool Matches(JsonObject value)
        => value[Attribute] is { } actual && (actual.GetValueKind() == JsonValueKind.String && Value.GetValueKind() == JsonValueKind.String
            ? string.Equals(actual.GetValue<string>(), Value.GetValue<string>(), StringComparison.OrdinalIgnoreCase)
            : JsonNode.DeepEquals(actual, Value));

    public override string ToString() => $"{Attribute} eq {Value.ToJsonString()}";
}

/// <summary>An attribute path of RFC 7644 §3.5.2: <c>[schema URN:]attribute[[filter]][.sub-attribute]</c>, resolved against the schemas.</summary>
public sealed partial record ScimPath(ScimSchemaDefinition Schema, ScimAttribute Attribute, ScimValueFilter? Filter, ScimAttribute? Sub)
{
    public static ScimPath Parse(string path)
    {
        var schema = ScimSchema.UserSchema;
        var rest = path;
        if (path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            schema = ScimSchema.All.Where(s => path.StartsWith(s.Id + ":", StringComparison.OrdinalIgnoreCase)).MaxBy(s => s.Id.Length)
                ?? throw InvalidPath(path, "it names no schema this endpoint has");
            rest = path[(schema.Id.Length + 1)..];
        }
        var match = Grammar().Match(rest);
        if (!match.Success) throw InvalidPath(path, "it is not attribute[filter].subAttribute");
        var name = match.Groups["attribute"].Value;
        if (ScimUserResource.ServerAttributes.Contains(name))
            throw ScimException.BadRequest(ScimErrorType.Mutability, $"{name} is set by the server and cannot be changed.");
        var attribute = (schema == ScimSchema.UserSchema && name.Equals(ScimUserResource.ExternalId.Name, StringComparison.OrdinalIgnoreCase)
            ? ScimUserResource.ExternalId
            : schema.Attribute(name)) ?? throw InvalidPath(path, $"{schema.Name} has no attribute '{name}'");
        ScimValueFilter? filter = null;
        if (match.Groups["filter"].Success)
        {
            if (!attribute.MultiValued) throw InvalidPath(path, $"{attribute.Name} has a single value, which cannot be filtered");
            var f = FilterGrammar().Match(match.Groups["filter"].Value);
            if (!f.Success) throw ScimException.BadRequest(ScimErrorType.InvalidFilter, $"The filter in '{path}' must be subAttribute eq \"value\".");
            var on = attribute.Sub(f.Groups["attribute"].Value) ?? throw InvalidPath(path, $"{attribute.Name} has no sub-attribute '{f.Groups["attribute"].Value}'");
            var literal = f.Groups["value"].Value;
            filter = new ScimValueFilter(on.Name, JsonNode.Parse(literal.StartsWith('"') ? literal : literal.ToLowerInvariant())!);
        }
        ScimAttribute? sub = null;
        if (match.Groups["sub"].Success)
        {
            sub = attribute.Sub(match.Groups["sub"].Value) ?? throw InvalidPath(path, $"{attribute.Name} has no sub-attribute '{match.Groups["sub"].Value}'");
            if (sub.Mutability == "readOnly") throw ScimException.BadRequest(ScimErrorType.Mutability, $"{attribute.Name}.{sub.Name} is read-only.");
        }
        return new ScimPath(schema, attribute, filter, sub);
    }

    public bool Matches(JsonObject value) => Filter?.Matches(value) ?? true;

    /// <summary>The object the attribute lives in: the resource, or its extension's object.</summary>
    public JsonObject? Container(JsonObject resource, bool create)
    {
        if (Schema == ScimSchema.UserSchema) return resource;
        if (resource[Schema.Id] is JsonObject extension) return extension;
        if (!create) return null;
        var created = new JsonObject();
        resource[Schema.Id] = created;
        return created;
    }

    private static ScimException InvalidPath(string path, string why) => ScimException.BadRequest(ScimErrorType.InvalidPath, $"The path '{path}' is not valid: {why}.");

    [GeneratedRegex(@"^(?<attribute>\$?[A-Za-z][\w$-]*)(\[(?<filter>[^\]]*)\])?(\.(?<sub>\$?[A-Za-z][\w$-]*))?$")]
    private static partial Regex Grammar();

    [GeneratedRegex(@"^\s*(?<attribute>[A-Za-z][\w$-]*)\s+eq\s+(?<value>""(?:[^""\\]|\\.)*""|true|false)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FilterGrammar();
}
