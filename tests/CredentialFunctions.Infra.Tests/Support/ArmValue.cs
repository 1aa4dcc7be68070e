using System.Text.Json;

namespace CredentialFunctions.Infra.Tests.Support;

/// <summary>
/// A template value evaluated as far as the template alone allows. What only a deployment knows
/// (resource properties, ids, unique strings) stays a <see cref="Hole"/>, so "rg-⟨?⟩" still shows
/// its literal prefix. <see cref="Sources"/> keeps every template expression the value came from,
/// across module boundaries, so a test can tell what it is made of.
/// </summary>
internal sealed class ArmValue
{
    public const string Hole = "⟨?⟩";

    private readonly JsonElement _json;
    private readonly ArmDeployment? _scope;

    private ArmValue(string? text, JsonElement json, ArmDeployment? scope, IReadOnlyList<string> sources)
    {
        Text = text;
        _json = json;
        _scope = scope;
        Sources = sources;
    }

    public static ArmValue Unknown { get; } = new(Hole, default, null, []);

    public static ArmValue OfText(string text, IReadOnlyList<string> sources) => new(text, default, null, sources);

    /// <summary>An object, array, number or boolean; the scope evaluates the expressions nested in it.</summary>
    public static ArmValue OfJson(JsonElement json, ArmDeployment scope, IReadOnlyList<string> sources) => new(null, json, scope, sources);

    /// <summary>The string value, with holes where a deployment would fill in; null when the value is not a string.</summary>
    public string? Text { get; }

    public IReadOnlyList<string> Sources { get; }

    public bool IsString => Text is not null;

    public JsonElement Json => Text is null ? _json : throw new InvalidOperationException($"'{Text}' is a string, not JSON.");

    /// <summary>The elements of an array value, each evaluated in the template it was written in.</summary>
    public IEnumerable<ArmValue> Items() => Json.EnumerateArray().Select(e => _scope!.Evaluate(e));

    /// <summary>A property of an object value, evaluated in the template it was written in.</summary>
    public ArmValue Property(string name) =>
        Json.TryGetProperty(name, out var value) ? _scope!.Evaluate(value) : Unknown;

    public IEnumerable<string> PropertyNames() => Json.EnumerateObject().Select(p => p.Name);

    internal ArmDeployment? Scope => _scope;

    public override string ToString() => Text ?? _json.GetRawText();
}
