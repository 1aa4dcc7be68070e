using System.Reflection;
using CredentialFunctions.Adapters.Cosmos;

namespace CredentialFunctions.Infra.Tests.Support;

/// <summary>
/// The settings contracts in code: every class in the adapters that declares
/// <c>public const string Section</c>, and the app setting names (Section__Property__Property)
/// that bind to its properties.
/// </summary>
internal static class OptionsContracts
{
    public static IReadOnlyDictionary<string, Type> BySection { get; } =
        typeof(CosmosOptions).Assembly.GetTypes()
            .Select(type => (type, field: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.field is { IsLiteral: true } && t.field.FieldType == typeof(string))
            .ToDictionary(t => (string)t.field!.GetRawConstantValue()!, t => t.type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The property an app setting binds to, following nested sections; null if it binds to nothing.</summary>
    public static PropertyInfo? Bind(string settingName)
    {
        var segments = settingName.Split("__");
        if (segments.Length < 2 || !BySection.TryGetValue(segments[0], out var type))
        {
            return null;
        }

        PropertyInfo? property = null;
        foreach (var segment in segments[1..])
        {
            if (property is not null && IsScalar(property.PropertyType))
            {
                return null; // a scalar has no children to bind to
            }

            property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true })
            {
                return null;
            }

            type = property.PropertyType;
        }

        return IsScalar(property!.PropertyType) ? property : null;
    }

    /// <summary>
    /// Every scalar setting whose default is empty (null or ""): the app cannot run in Azure unless
    /// something sets it.
    /// </summary>
    public static IEnumerable<string> SettingsWithoutDefault() =>
        BySection.SelectMany(section => WithoutDefault(section.Key, Activator.CreateInstance(section.Value)!));

    private static IEnumerable<string> WithoutDefault(string prefix, object options)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = $"{prefix}__{property.Name}";
            var value = property.GetValue(options);
            if (!IsScalar(property.PropertyType) && value is not null)
            {
                foreach (var nested in WithoutDefault(name, value))
                {
                    yield return nested;
                }
            }
            else if (value is null || value as string == "")
            {
                yield return name;
            }
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum
            || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }
}
