using CredentialFunctions.Adapters.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Context.Features;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.App;

/// <summary>
/// Sets the invocation's <see cref="DurableClientAccessor"/> from its [DurableClient] binding, for
/// every function that has one (HTTP and timer alike), before the function's class is made.
/// </summary>
public sealed class DurableClientMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.FunctionDefinition.Parameters.Any(p => p.Type == typeof(DurableTaskClient)))
        {
            // Not BindInputAsync<DurableTaskClient>(binding): it converts without the parameter's own
            // converter (DurableClientAttribute's), fails, and caches the failure, so the invocation's own
            // binding then fails too. The function's inputs are bound once per invocation and the executor
            // reuses them, so this is the very client the function is handed.
            var inputs = await (context.Features.Get<IFunctionInputBindingFeature>()
                ?? throw new InvalidOperationException($"Function {context.FunctionDefinition.Name} has no input binding feature to bind its Durable client with."))
                .BindFunctionInputAsync(context);
            context.InstanceServices.GetRequiredService<DurableClientAccessor>().Client = inputs.Values.OfType<DurableTaskClient>().Single();
        }
        await next(context);
    }
}
