using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialFunctions.Application;

/// <summary>
/// The one JSON contract, for the API and the store alike: camelCase, enums by name, required
/// constructor parameters and nullable annotations enforced so a missing field is a clear 400.
/// </summary>
public static class CredentialJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
