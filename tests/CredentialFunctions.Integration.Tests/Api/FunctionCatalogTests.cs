using System.Reflection;
using CredentialFunctions.App.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.Integration.Tests.Api;

/// <summary>The rules every HTTP function follows, checked over all of them, so a new one cannot forget one.</summary>
public sealed class FunctionCatalogTests
{
    public static TheoryData<string> Functions => new(HttpFunctionCatalog.All.Select(f => f.Name));

    private static HttpFunction Named(string name) => HttpFunctionCatalog.Find(name)!;

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_http_function_declares_exactly_one_access_rule(string name)
        => Assert.Single(Named(name).Method.GetCustomAttributes<AccessAttribute>());

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_parameter_is_one_the_local_host_binds_and_route_values_exist_in_the_route(string name)
    {
        var function = Named(name);
        foreach (var parameter in function.Method.GetParameters())
        {
            Assert.Contains(parameter.ParameterType, new[] { typeof(HttpRequest), typeof(string), typeof(CancellationToken), typeof(DurableTaskClient) });
            if (parameter.ParameterType == typeof(string))
                Assert.Contains($"{{{parameter.Name}}}", function.Route);
        }
    }

    [Fact]
    public void No_two_functions_share_a_route_and_verb()
    {
        var pairs = HttpFunctionCatalog.All.SelectMany(f => f.Methods.Select(m => $"{m} {f.Route}")).ToList();
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
    }

    [Fact]
    public void Only_verification_its_artifacts_the_badge_the_issuer_the_status_lists_the_renewal_page_health_and_the_api_description_are_anonymous()
    {
        var anonymous = HttpFunctionCatalog.All.Where(f => f.Method.GetCustomAttribute<AnonymousAttribute>() is not null).Select(f => f.Route).Order(StringComparer.Ordinal);
        Assert.Equal(["credentials/{certificateId}/badge", "docs", "health", "issuer", "issuer/jwks", "openapi.json", "renew/{certificateId}", "status/{purpose}/{list}", "verify/{certificateId}", "verify/{certificateId}/pdf", "verify/{certificateId}/qr"], anonymous);
    }
}
