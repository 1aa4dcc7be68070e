using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application;
using CredentialFunctions.Application.Integrations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CredentialFunctions.App.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of the HTTP API, generated from what the functions declare: routes and
/// verbs from [HttpTrigger], security from the access attribute, bodies from [Accepts] and
/// [Answers], and the problems the pipeline and the body reader answer on every such route. A route
/// added with these attributes is described without touching this class.
/// </summary>
public static partial class OpenApiDescription
{
    /// <summary>Under which both hosts serve the functions (host.json's routePrefix, the local host's RoutePrefix).</summary>
    public const string RoutePrefix = "api";

    public const string BearerScheme = "bearer";

    private const string ProblemMediaType = "application/problem+json";

    private static readonly Lazy<string> Document = new(() => Generate(HttpFunctionCatalog.All).SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1).GetAwaiter().GetResult());

    /// <summary>The app's document as JSON, built once: it changes only with the code.</summary>
    public static string Json => Document.Value;

    public static string SignatureSchemeFor(string integration) => $"{integration}Signature";

    public static OpenApiDocument Generate(IReadOnlyList<HttpFunction> functions)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "CredentialFunctions API",
                Version = typeof(OpenApiDescription).Assembly.GetName().Version?.ToString() ?? "1.0.0",
                Description = "Programs, issuance from the LMS, public verification and the renewal lifecycle of credentials. "
                    + "Every refusal is an RFC 9457 problem (application/problem+json) whose type is urn:credential-functions:problem:<slug>.",
            },
            Servers = [new OpenApiServer { Url = "/" + RoutePrefix }],
            Paths = [],
            Components = new OpenApiComponents { SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal) },
        };
        var schemas = new SchemaComponents(CredentialJson.Options);
        var problem = schemas.For(typeof(Problem));

        foreach (var route in functions.GroupBy(f => f.Route, StringComparer.Ordinal))
        {
            var item = new OpenApiPathItem { Operations = [] };
            foreach (var function in route)
                foreach (var method in function.Methods)
                    item.Operations[new HttpMethod(method)] = Operation(function, document, schemas, problem);
            document.Paths["/" + route.Key] = item;
        }

        // Schemas are read into the object model only now, when every type they refer to is known.
        document.Components.Schemas = schemas.Schemas.ToDictionary(s => s.Key, s => Read(s.Value, document), StringComparer.Ordinal);
        return document;
    }

    private static OpenApiOperation Operation(HttpFunction function, OpenApiDocument document, SchemaComponents schemas, JsonNode problem)
    {
        var method = function.Method;
        var access = method.GetCustomAttribute<AccessAttribute>()
            ?? throw new InvalidOperationException($"HTTP function {function.Name} declares no access attribute.");
        var accepts = method.GetCustomAttribute<AcceptsAttribute>();
        var answers = method.GetCustomAttributes<AnswersAttribute>().ToList();
        if (!answers.Any(a => a.Body is not null))
            throw new InvalidOperationException(
                $"HTTP function {function.Name} declares no [Answers(2xx, typeof(...))], so the API description cannot say what it returns.");

        // Operations are grouped by their function class; a tag needs no entry of its own to group.
        var tag = method.DeclaringType!.Name.Replace("Functions", "", StringComparison.Ordinal).Replace("Function", "", StringComparison.Ordinal);
        var operation = new OpenApiOperation
        {
            OperationId = function.Name,
            Summary = Words(function.Name),
            Tags = new HashSet<OpenApiTagReference> { new(tag, document) },
            Parameters = RouteParameters().Matches(function.Route)
                .Select(m => (IOpenApiParameter)new OpenApiParameter
                {
                    Name = m.Groups[1].Value,
                    In = ParameterLocation.Path,
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                })
                .ToList(),
            Responses = [],
        };
        (operation.Security, var refusals) = Admission(access, function.Methods, document);
        operation.Description = access switch
        {
            RequireRoleAttribute roles => $"Roles: {string.Join(", ", roles.Roles)}.",
            SignedWebhookAttribute webhook => $"Called by the {webhook.Integration} integration, signed with its shared secret.",
            _ => "Anyone, no account; rate limited per client.",
        };
        if (accepts is not null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = Read(schemas.For(accepts.Body), document) } },
            };
            refusals = [.. refusals, StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType];
        }

        // A status may come in several media types (JSON for a script, a page for a browser): one response, one content entry each.
        foreach (var success in answers.Where(a => a.Body is not null))
            AddContent(operation, success.Status, success.ContentType, Read(schemas.For(success.Body!), document));
        foreach (var status in answers.Where(a => a.Body is null).Select(a => a.Status).Concat(refusals).Append(StatusCodes.Status500InternalServerError).Distinct().Order())
            AddContent(operation, status, ProblemMediaType, Read(problem, document));
        // A refusal declared with a media type of its own is also answered as that (a page saying the problem).
        foreach (var page in answers.Where(a => a.Body is null && a.ContentType != "application/json"))
            AddContent(operation, page.Status, page.ContentType, Read(schemas.For(typeof(string)), document));
        return operation;
    }

    /// <summary>Who may call, and what the pipeline answers those it does not admit.</summary>
    private static (List<OpenApiSecurityRequirement> Security, int[] Refusals) Admission(AccessAttribute access, IReadOnlyList<string> methods, OpenApiDocument document)
    {
        var schemes = document.Components!.SecuritySchemes!;
        switch (access)
        {
            case RequireRoleAttribute roles:
                schemes.TryAdd(BearerScheme, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An Entra ID access token for the API's audience, with the caller's app roles in its roles claim "
                        + "(Administrator, ProgramManager, Auditor, Learner, Supervisor, Finance); a learner's token carries learner_id. "
                        + "Each operation lists the roles it admits.",
                });
                return ([new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = roles.Roles.Select(r => r.ToString()).ToList() }],
                    // A signed-in caller's writes are rate limited per caller (429), reads are not.
                    methods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                        ? [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests]
                        : [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);

            case SignedWebhookAttribute webhook:
                var name = SignatureSchemeFor(webhook.Integration);
                schemes.TryAdd(name, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = WebhookSignature.Header,
                    Description = $"t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with the {webhook.Integration} integration's shared secret>; "
                        + "a timestamp more than 5 minutes from the server's clock is refused. Several v1= values may be sent while a secret is rotated.",
                });
                return ([new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, document)] = [] }], [StatusCodes.Status401Unauthorized]);

            case PaymentProviderWebhookAttribute provider:
                var scheme = $"{provider.Provider}Signature";
                schemes.TryAdd(scheme, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = provider.SignatureHeader,
                    Description = $"The {provider.Provider} webhook signature, verified with the endpoint's signing secret by the provider's own library.",
                });
                return ([new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }], [StatusCodes.Status401Unauthorized]);

            case AnonymousAttribute:
                return ([], [StatusCodes.Status429TooManyRequests]);

            default:
                throw new InvalidOperationException($"Unknown access attribute {access.GetType().Name}.");
        }
    }

    private static void AddContent(OpenApiOperation operation, int status, string mediaType, IOpenApiSchema schema)
    {
        if (!operation.Responses!.TryGetValue(Status(status), out var existing) || existing is not OpenApiResponse response)
            operation.Responses[Status(status)] = response = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(status), Content = new Dictionary<string, IOpenApiMediaType>() };
        response.Content![mediaType] = new OpenApiMediaType { Schema = schema };
    }

    private static IOpenApiSchema Read(JsonNode schema, OpenApiDocument document)
        => schema is JsonObject { Count: 1 } o && o["$ref"]?.GetValue<string>() is { } reference
            ? new OpenApiSchemaReference(reference[SchemaComponents.ReferencePrefix.Length..], document)
            : new OpenApiJsonReader().ReadFragment<OpenApiSchema>(schema.DeepClone(), OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic) is { } read && diagnostic.Errors.Count == 0
            ? read
            : throw new InvalidOperationException($"A generated schema does not read as OpenAPI 3.1: {string.Join("; ", diagnostic.Errors.Select(e => e.Message))}\n{schema}");

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);

    /// <summary>"RenewByExamResult" → "Renew by exam result".</summary>
    private static string Words(string pascal) => WordBoundary().Replace(pascal, m => " " + m.Value.ToLowerInvariant());

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameters();

    [GeneratedRegex(@"(?<=[a-z])[A-Z]")]
    private static partial Regex WordBoundary();
}
