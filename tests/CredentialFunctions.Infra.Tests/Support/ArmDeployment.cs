using System.Text.Json;

namespace CredentialFunctions.Infra.Tests.Support;

/// <summary>
/// One template of the compiled ARM JSON: main.bicep itself, or a module, which Bicep compiles into
/// a nested Microsoft.Resources/deployments resource carrying its template and the parameter values
/// its parent passes.
/// </summary>
internal sealed class ArmDeployment
{
    private readonly JsonElement? _parameterValues;

    private ArmDeployment(string name, JsonElement template, ArmDeployment? parent, JsonElement? parameterValues)
    {
        Name = name;
        Template = template;
        Parent = parent;
        _parameterValues = parameterValues;
        Children = Entries(template, "resources")
            .Where(r => TypeOf(r.Value) == "Microsoft.Resources/deployments")
            .Select(r => new ArmDeployment(
                r.Key, r.Value.GetProperty("properties").GetProperty("template"), this,
                r.Value.GetProperty("properties").GetProperty("parameters")))
            .ToArray();
    }

    public static ArmDeployment Root(JsonElement template) => new("main", template, null, null);

    /// <summary>The symbolic name the parent gives the module, e.g. "cosmos".</summary>
    public string Name { get; }

    public JsonElement Template { get; }

    public ArmDeployment? Parent { get; }

    public IReadOnlyList<ArmDeployment> Children { get; }

    public IEnumerable<ArmDeployment> SelfAndDescendants => Children.SelectMany(c => c.SelfAndDescendants).Prepend(this);

    /// <summary>Resources declared (not merely referenced as existing) in this template.</summary>
    public IEnumerable<JsonElement> Resources =>
        Entries(Template, "resources").Select(r => r.Value)
            .Where(r => !(r.TryGetProperty("existing", out var existing) && existing.GetBoolean()));

    public IEnumerable<JsonElement> ResourcesOfType(string type) =>
        Resources.Where(r => TypeOf(r) == type);

    /// <summary>Every declared resource of the type in this template and the modules below it, with the template that declares it.</summary>
    public IEnumerable<(ArmDeployment Deployment, JsonElement Resource)> FindAll(string type) =>
        SelfAndDescendants.SelectMany(d => d.ResourcesOfType(type).Select(r => (d, r)));

    public ArmDeployment Child(string name) =>
        Children.SingleOrDefault(c => c.Name == name)
        ?? throw new InvalidOperationException($"{Name} has no module named '{name}'.");

    /// <summary>What a parameter holds here: the value the parent passes, else the template's default.</summary>
    public ArmValue Parameter(string name)
    {
        if (_parameterValues is { } passed && passed.TryGetProperty(name, out var entry))
        {
            return Parent!.Evaluate(entry.GetProperty("value"));
        }

        return Template.GetProperty("parameters").TryGetProperty(name, out var declared)
            && declared.TryGetProperty("defaultValue", out var defaultValue)
                ? Evaluate(defaultValue)
                : ArmValue.Unknown;
    }

    public ArmValue Variable(string name) =>
        Template.TryGetProperty("variables", out var variables) && variables.TryGetProperty(name, out var value)
            ? Evaluate(value)
            : ArmValue.Unknown;

    public ArmValue Output(string name) =>
        Template.TryGetProperty("outputs", out var outputs) && outputs.TryGetProperty(name, out var output)
            ? Evaluate(output.GetProperty("value"))
            : ArmValue.Unknown;

    /// <summary>Evaluates a template value as far as it can be without deploying (see <see cref="ArmExpression"/>).</summary>
    public ArmValue Evaluate(JsonElement value) => ArmExpression.Evaluate(value, this);

    public static string TypeOf(JsonElement resource) => resource.GetProperty("type").GetString()!;

    // languageVersion 2.0 (which user-defined types switch on) keys resources by symbolic name; 1.0 lists them.
    private static IEnumerable<KeyValuePair<string, JsonElement>> Entries(JsonElement template, string property)
    {
        if (!template.TryGetProperty(property, out var entries))
        {
            return [];
        }

        return entries.ValueKind == JsonValueKind.Object
            ? entries.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value))
            : entries.EnumerateArray().Select((r, i) => KeyValuePair.Create(i.ToString(), r));
    }
}
