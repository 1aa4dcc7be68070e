using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using CredentialFunctions.Domain.Programs;

namespace CredentialFunctions.App.OpenApi;

/// <summary>
/// JSON Schemas of the API's types, as the app's own serializer options write and read them
/// (System.Text.Json's exporter), with each of our object types once under components/schemas and
/// referred to by name wherever it appears.
/// </summary>
internal sealed class SchemaComponents(JsonSerializerOptions json)
{
    public const string ReferencePrefix = "#/components/schemas/";

    /// <summary>Types with their own converter, which the exporter cannot look into: what they are on the wire.</summary>
    private static readonly Dictionary<Type, JsonObject> ConvertedTypes = new()
    {
        [typeof(IsoDuration)] = new() { ["type"] = "string", ["format"] = "duration", ["examples"] = new JsonArray("P1Y", "P90D") },
    };

    private readonly Dictionary<Type, string> _names = [];
    private readonly SortedDictionary<string, JsonNode> _schemas = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, JsonNode> Schemas => _schemas;

    /// <summary>A reference to a component for one of our object types; any other type's schema inline.</summary>
    public JsonNode For(Type type) => IsComponent(type) ? ReferenceTo(type) : Export(type);

    private JsonObject ReferenceTo(Type type)
    {
        if (!_names.TryGetValue(type, out var name))
        {
            name = type.Name;
            if (_names.ContainsValue(name))
                throw new InvalidOperationException($"Two API types are named {name} ({type.FullName} and {_names.First(n => n.Value == name).Key.FullName}); component schemas are named by type.");
            // Named before it is exported, so a type that contains itself refers to its own component.
            _names[type] = name;
            _schemas[name] = Export(type);
        }
        return new JsonObject { ["$ref"] = ReferencePrefix + name };
    }

    private JsonNode Export(Type type) => json.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
    {
        // Nullable reference types are annotated where null is meant; an unannotated type (a list's items, a root) is not null.
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (context, schema) =>
        {
            DescribeConvertedMembers(context.TypeInfo, schema);
            var wireType = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
            if (context.Path.IsEmpty || !IsComponent(wireType)) return schema;
            return OrNull(ReferenceTo(wireType), AllowsNull(schema));
        },
    });

    /// <summary>The exporter passes over members whose type has its own converter; say what their JSON is.</summary>
    private static void DescribeConvertedMembers(JsonTypeInfo info, JsonNode schema)
    {
        if (schema is not JsonObject node) return;
        if (info.Kind == JsonTypeInfoKind.Object && node["properties"] is JsonObject properties)
            foreach (var property in info.Properties)
                if (Converted(property.PropertyType) is { } converted) properties[property.Name] = converted;
        if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element && Converted(element) is { } item)
            node["items"] = item;
    }

    private static JsonNode? Converted(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        return ConvertedTypes.TryGetValue(underlying ?? type, out var schema) ? OrNull((JsonObject)schema.DeepClone(), underlying is not null) : null;
    }

    private static bool IsComponent(Type type)
        => type.Namespace?.StartsWith("CredentialFunctions.", StringComparison.Ordinal) == true
           && !type.IsEnum && !ConvertedTypes.ContainsKey(type) && !type.IsAbstract;

    private static bool AllowsNull(JsonNode schema)
        => schema is JsonObject o && o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    private static JsonNode OrNull(JsonObject schema, bool nullable) => nullable
        ? new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) }
        : schema;
}
