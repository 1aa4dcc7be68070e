using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.App.Http;

/// <summary>
/// Runs <see cref="HttpFunctionPipeline"/> around HTTP functions in the Functions worker. The result
/// is set as the invocation result, which the ASP.NET Core integration then executes.
/// </summary>
public sealed class HttpPipelineMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (HttpFunctionCatalog.Find(context.FunctionDefinition.Name) is not { } function || context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }
        var pipeline = context.InstanceServices.GetRequiredService<HttpFunctionPipeline>();
        var result = await pipeline.InvokeAsync(http, function.Method, async () =>
        {
            await next(context);
            return context.GetInvocationResult().Value as IActionResult
                ?? throw new InvalidOperationException($"Function {function.Name} returned no IActionResult.");
        });
        context.GetInvocationResult().Value = result;
    }
}
