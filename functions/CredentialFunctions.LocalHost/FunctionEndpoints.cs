using System.Reflection;
using CredentialFunctions.Adapters.Durable;
using CredentialFunctions.App.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// Maps each HTTP function of the app onto Kestrel with the route and verbs of its own
/// [HttpTrigger], resolved from the same DI composition and run through the same pipeline as in
/// the Functions worker. Function methods take HttpRequest, route values by name, a
/// CancellationToken, and a [DurableClient] DurableTaskClient, which here is the in-memory
/// backend's client from the container — so this binding is complete. As the worker's
/// DurableClientMiddleware does, a function with a [DurableClient] has that client set on the
/// request's <see cref="DurableClientAccessor"/> before its class is made.
/// </summary>
public static class FunctionEndpoints
{
    public const string RoutePrefix = "api";

    public static WebApplication MapHttpFunctions(this WebApplication app)
    {
        foreach (var function in HttpFunctionCatalog.All)
            app.MapMethods($"/{RoutePrefix}/{function.Route}", function.Methods, context => InvokeAsync(context, function)).WithName(function.Name);
        return app;
    }

    private static async Task InvokeAsync(HttpContext context, HttpFunction function)
    {
        var pipeline = context.RequestServices.GetRequiredService<HttpFunctionPipeline>();
        var result = await pipeline.InvokeAsync(context, function.Method, async () =>
        {
            if (function.Method.GetParameters().Any(p => p.ParameterType == typeof(DurableTaskClient)))
                context.RequestServices.GetRequiredService<DurableClientAccessor>().Client = context.RequestServices.GetRequiredService<DurableTaskClient>();
            var instance = context.RequestServices.GetRequiredService(function.Method.DeclaringType!);
            var arguments = function.Method.GetParameters().Select(p => Bind(p, context)).ToArray();
            return function.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null) switch
            {
                Task<IActionResult> pending => await pending,
                IActionResult done => done,
                var other => throw new InvalidOperationException($"{function.Name} returned {other?.GetType().Name ?? "null"}, not an IActionResult."),
            };
        });
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    public static object? Bind(ParameterInfo parameter, HttpContext context) => parameter.ParameterType switch
    {
        var t when t == typeof(HttpRequest) => context.Request,
        var t when t == typeof(CancellationToken) => context.RequestAborted,
        var t when t == typeof(string) => context.Request.RouteValues[parameter.Name!]?.ToString(),
        var t when t == typeof(DurableTaskClient) => context.RequestServices.GetRequiredService<DurableTaskClient>(),
        var t => throw new NotSupportedException($"The local host cannot bind {t.Name} {parameter.Name}: HTTP functions take HttpRequest, string route values, CancellationToken and DurableTaskClient."),
    };
}
