using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialFunctions.Domain.Programs;

/// <summary>Keeps durations in their ISO-8601 text on the wire and in the store, as program authors write them.</summary>
public sealed class IsoDurationJsonConverter : JsonConverter<IsoDuration>
{
    public override IsoDuration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.String && IsoDuration.TryParse(reader.GetString(), out var d)
            ? d
            : throw new JsonException("Expected an ISO-8601 duration such as P2Y, P90D or PT30S.");

    public override void Write(Utf8JsonWriter writer, IsoDuration value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToString());
}
