using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.Json;
using CredentialFunctions.App.Http;
using CredentialFunctions.App.OpenApi;
using CredentialFunctions.Application.Access;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>The API describes itself: the document covers exactly the functions, real answers match it, and it passes a linter.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFixture fixture)
{
    private readonly ApiHost _api = fixture.Host;
    private static readonly OpenApiContract Contract = ApiHost.Contract;

    public static TheoryData<string> Functions => new(HttpFunctionCatalog.All.Select(f => f.Name));

    [Fact]
    public void The_document_has_an_operation_for_every_http_function_and_none_other()
    {
        var functions = HttpFunctionCatalog.All.SelectMany(f => f.Methods.Select(m => $"{m} /{f.Route}")).Order(StringComparer.Ordinal);
        Assert.Equal(functions, Contract.Operations.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_http_function_declares_the_body_it_answers_on_success(string name)
        => Assert.Contains(HttpFunctionCatalog.Find(name)!.Method.GetCustomAttributes<AnswersAttribute>(), a => a.Status is >= 200 and < 300 && a.Body is not null);

    [Fact]
    public void A_function_that_does_not_say_what_it_answers_cannot_be_described()
    {
        var undescribed = HttpFunctionCatalog.Discover(typeof(UndescribedFunction).Assembly).Where(f => f.Method.DeclaringType == typeof(UndescribedFunction)).ToList();

        var failure = Assert.Throws<InvalidOperationException>(() => OpenApiDescription.Generate(undescribed));
        Assert.Contains("Undescribed", failure.Message);
    }

    [Fact]
    public void The_document_reads_back_as_OpenAPI_3_1_without_errors_or_warnings()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(OpenApiDescription.Json));
        var read = new OpenApiJsonReader().Read(stream, new Uri("http://localhost/api/openapi.json"), new OpenApiReaderSettings());

        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic!.SpecificationVersion);
        Assert.Empty(read.Diagnostic.Errors);
        Assert.Empty(read.Diagnostic.Warnings);
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!);
    }

    [Fact]
    public async Task The_document_passes_the_redocly_linter_with_every_warning_an_error()
    {
        var linter = Path.Combine(RepositoryRoot.Find(), "tools", "openapi-lint");
        await NpmInstall.EnsureAsync(linter, CancellationToken.None);
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        using var served = await _api.SendAsync(HttpMethod.Get, "/api/openapi.json");
        await File.WriteAllTextAsync(file, await served.Content.ReadAsStringAsync());
        try
        {
            var start = new ProcessStartInfo("node", ["node_modules/@redocly/cli/bin/cli.js", "lint", file, "--config", "redocly.yaml", "--format", "json"])
            {
                WorkingDirectory = linter,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            };
            using var lint = Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync();
            var errors = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

            var report = JsonDocument.Parse(await output).RootElement;
            Assert.True(report.GetProperty("problems").GetArrayLength() == 0, $"{report.GetProperty("problems")}\n{await errors}");
            Assert.Equal(0, lint.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Real_answers_of_each_kind_match_the_schema_the_document_gives_for_their_status()
    {
        var programId = await _api.CreateProgramAsync();
        var certificateId = await _api.IssueAsync(programId, Bodies.Completion(programId, completedAt: DateTimeOffset.UtcNow.AddDays(-30)));
        var exchanges = new (HttpMethod Method, string Path, object? Body, Role? Role, HttpStatusCode Expected)[]
        {
            (HttpMethod.Get, "/api/health", null, null, HttpStatusCode.OK),
            (HttpMethod.Post, "/api/programs", Bodies.Program(), Role.ProgramManager, HttpStatusCode.Created),
            (HttpMethod.Post, "/api/programs", Bodies.Program().Without("name"), Role.ProgramManager, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/programs", Bodies.Program(), null, HttpStatusCode.Unauthorized),
            (HttpMethod.Post, "/api/programs", Bodies.Program(), Role.Auditor, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"/api/programs/{programId}", null, Role.Auditor, HttpStatusCode.OK),
            (HttpMethod.Get, "/api/programs/prg-none", null, Role.Auditor, HttpStatusCode.NotFound),
            (HttpMethod.Put, $"/api/programs/{programId}", Bodies.Program(), Role.ProgramManager, HttpStatusCode.PreconditionRequired),
            (HttpMethod.Get, $"/api/verify/{certificateId}", null, null, HttpStatusCode.OK),
            (HttpMethod.Get, "/api/verify/not-an-id", null, null, HttpStatusCode.BadRequest),
            (HttpMethod.Get, $"/api/credentials/{certificateId}", null, Role.Auditor, HttpStatusCode.OK),
            (HttpMethod.Post, $"/api/credentials/{certificateId}/credits",
                new { earnedAt = DateTimeOffset.UtcNow.AddDays(-1), amount = 2, category = "safety", activity = "Toolbox talk" }, Role.ProgramManager, HttpStatusCode.OK),
            (HttpMethod.Post, $"/api/credentials/{certificateId}/reinstatement", new { reason = "Not lapsed" }, Role.ProgramManager, HttpStatusCode.Conflict),
            (HttpMethod.Post, $"/api/credentials/{certificateId}/revocation", new { reason = "Issued in error" }, Role.ProgramManager, HttpStatusCode.OK),
            (HttpMethod.Get, "/api/openapi.json", null, null, HttpStatusCode.OK),
        };
        var violations = new List<string>();
        foreach (var (method, path, body, role, expected) in exchanges)
        {
            using var response = await _api.SendAsync(method, path, body, role);
            Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            if (await Contract.ViolationAsync(method, path, response) is { } violation) violations.Add(violation);
        }

        using var completion = await _api.Client.SendAsync(_api.SignedLms(JsonSerializer.Serialize(Bodies.Completion(programId), Application.CredentialJson.Options)));
        Assert.Equal(HttpStatusCode.Created, completion.StatusCode);
        if (await Contract.ViolationAsync(HttpMethod.Post, "/api/webhooks/lms/completions", completion) is { } webhook) violations.Add(webhook);
        using var forged = await _api.Client.SendAsync(_api.SignedLms(JsonSerializer.Serialize(Bodies.Completion(programId)), secret: "not-the-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        if (await Contract.ViolationAsync(HttpMethod.Post, "/api/webhooks/lms/completions", forged) is { } signature) violations.Add(signature);

        Assert.Empty(violations);
    }

    [Fact]
    public async Task An_answer_the_document_does_not_describe_is_a_violation()
    {
        using var undescribed = new HttpResponseMessage(HttpStatusCode.Gone) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/problem+json") };
        using var misshapen = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"status":42}""", System.Text.Encoding.UTF8, "application/json") };

        Assert.Contains("does not describe 410", await Contract.ViolationAsync(HttpMethod.Get, "/api/health", undescribed));
        Assert.Contains("does not match", await Contract.ViolationAsync(HttpMethod.Get, "/api/health", misshapen));
    }

    [Fact]
    public async Task The_client_of_every_api_test_refuses_an_answer_the_document_does_not_describe()
    {
        using var client = new HttpClient(new DescribedAnswersOnly(Contract) { InnerHandler = new Answering(HttpStatusCode.Gone) }) { BaseAddress = new Uri("http://localhost") };

        await Assert.ThrowsAsync<UndescribedAnswerException>(() => client.GetAsync("/api/health"));
    }

    private sealed class Answering(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/problem+json") });
    }

    [Fact]
    public async Task The_document_and_its_reference_page_are_served_to_anyone_and_the_page_loads_nothing_from_elsewhere()
    {
        using var document = await _api.SendAsync(HttpMethod.Get, "/api/openapi.json");
        using var page = await _api.SendAsync(HttpMethod.Get, "/api/docs");

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal(OpenApiDescription.Json, await document.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("fetch(\"openapi.json\")", html);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//", html);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    /// <summary>A function as a newcomer might add it, with a route and an access rule but nothing said about what it answers.</summary>
    public sealed class UndescribedFunction
    {
        [Function("Undescribed")]
        [Anonymous]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "undescribed")] HttpRequest request) => new JsonResponse(null);
    }
}
