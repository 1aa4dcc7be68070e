using System.Reflection;
using CredentialFunctions.Adapters.Durable;
using CredentialFunctions.App;
using CredentialFunctions.App.Functions;
using CredentialFunctions.Application.Renewal;
using CredentialFunctions.LocalHost;
using CredentialFunctions.Testing.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Context.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace CredentialFunctions.Renewal.Tests.Wiring;

/// <summary>
/// How the Durable client reaches the use cases in the Functions worker: the app's composition and
/// <see cref="DurableClientMiddleware"/> around invocations whose binding feature is Moq'd, since no
/// Functions host runs here. The local host's side is <c>IssuanceStartsTheWindowTests</c>.
/// </summary>
public sealed class DurableClientWiringTests
{
    private static readonly RenewalWindowEvent Changed = new(RenewalWindowEventKind.RecordChanged, A.Jan1);

    [Fact]
    public async Task The_worker_middleware_hands_each_invocation_the_Durable_client_bound_to_it_HTTP_and_timer_alike()
    {
        await using var services = Composition();
        var (timerClient, httpClient) = (new Mock<DurableTaskClient>("timer"), new Mock<DurableTaskClient>("http"));

        await InvokeAsync(services, Function<RenewalWindowFunctions>(nameof(RenewalWindowFunctions.Reconcile)), timerClient.Object,
            scope => scope.GetRequiredService<IRenewalWindows>().RaiseAsync("TIMER", Changed, CancellationToken.None));
        await InvokeAsync(services, Function<CredentialLifecycleFunctions>(nameof(CredentialLifecycleFunctions.Revoke)), httpClient.Object,
            scope => scope.GetRequiredService<IRenewalWindows>().RaiseAsync("HTTP", Changed, CancellationToken.None));

        timerClient.Verify(c => c.RaiseEventAsync(DurableRenewalWindows.InstanceId("TIMER"), RenewalWindowOrchestrator.ChangedEvent, Changed, It.IsAny<CancellationToken>()), Times.Once);
        httpClient.Verify(c => c.RaiseEventAsync(DurableRenewalWindows.InstanceId("HTTP"), RenewalWindowOrchestrator.ChangedEvent, Changed, It.IsAny<CancellationToken>()), Times.Once);
        timerClient.VerifyNoOtherCalls();
        httpClient.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_function_without_a_Durable_client_binding_binds_none_and_a_use_case_made_in_it_says_what_is_missing()
    {
        await using var services = Composition();
        InvalidOperationException? refused = null;

        await InvokeAsync(services, Function<VerificationFunctions>(nameof(VerificationFunctions.Verify)), client: null,
            scope =>
            {
                refused = Assert.Throws<InvalidOperationException>(() => scope.GetRequiredService<CredentialLifecycle>());
                return Task.CompletedTask;
            });

        Assert.Contains("[DurableClient] DurableTaskClient parameter", refused!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_use_case_resolved_outside_any_invocation_fails_saying_no_Durable_client_was_set()
    {
        await using var services = Composition();
        await using var scope = services.CreateAsyncScope();

        var refused = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<RenewalReconciliation>());

        Assert.StartsWith("No Durable client was set for this invocation", refused.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> FunctionsWithoutADurableClient => new(AppFunctions()
        .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(DurableTaskClient)))
        .Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));

    /// <summary>A class that needs the windows but is invoked without the binding would fail on every call in Azure.</summary>
    [Theory]
    [MemberData(nameof(FunctionsWithoutADurableClient))]
    public async Task A_function_without_a_Durable_client_binding_needs_no_renewal_windows(string function)
    {
        await using var services = Composition();
        await using var scope = services.CreateAsyncScope();
        var type = AppFunctions().First(m => $"{m.DeclaringType!.Name}.{m.Name}" == function).DeclaringType!;

        Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
    }

    private static IEnumerable<MethodInfo> AppFunctions()
        => typeof(CompositionRoot).Assembly.GetTypes().SelectMany(t => t.GetMethods()).Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

    private static MethodInfo Function<TFunctions>(string method) => typeof(TFunctions).GetMethod(method)!;

    /// <summary>The app's settings, pointing at nothing: the store's client is made but never called.</summary>
    internal static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Cosmos:AccountEndpoint"] = "http://127.0.0.1:1/",
        ["Cosmos:AccountKey"] = LocalCosmosServer.AccountKey,
        ["Cosmos:DatabaseName"] = "unused",
        ["Signing:DevelopmentKey"] = ApiHost.IssuerKey,
        ["Issuer:Name"] = ApiHost.IssuerName,
        // The outbox's email transport, the pages and the artifacts build their links from it.
        ["Links:PublicBaseUrl"] = "https://func-test.azurewebsites.net",
        ["AuditAnchors:DevelopmentKey"] = ApiHost.AnchorKey,
        // The document routes' storage; making its client connects to nothing.
        ["Documents:ConnectionString"] = "UseDevelopmentStorage=true",
    };

    /// <summary>The app's own composition.</summary>
    private static ServiceProvider Composition()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        return new ServiceCollection().AddLogging().AddCredentialServices(configuration).BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>
    /// One invocation of the function as the worker runs it: its own scope, its parameters as the
    /// function definition lists them, the binding feature answering <paramref name="client"/> for the
    /// [DurableClient] one, and <paramref name="function"/> run where the function's class would be made.
    /// </summary>
    private static async Task InvokeAsync(ServiceProvider services, MethodInfo method, DurableTaskClient? client, Func<IServiceProvider, Task> function)
    {
        await using var scope = services.CreateAsyncScope();
        var parameters = method.GetParameters();
        var definition = new Mock<FunctionDefinition>();
        definition.Setup(d => d.Name).Returns(method.GetCustomAttribute<FunctionAttribute>()!.Name);
        definition.Setup(d => d.Parameters).Returns([.. parameters.Select(p => new FunctionParameter(p.Name!, p.ParameterType))]);
        // Strict: a function without the binding must not bind its inputs early.
        var binding = new Mock<IFunctionInputBindingFeature>(MockBehavior.Strict);
        if (client is not null)
            binding.Setup(b => b.BindFunctionInputAsync(It.IsAny<FunctionContext>()))
                .ReturnsAsync(new FunctionInputBindingResult([.. parameters.Select(p => p.ParameterType == typeof(DurableTaskClient) ? client : null)]));
        var features = new Mock<IInvocationFeatures>();
        features.Setup(f => f.Get<IFunctionInputBindingFeature>()).Returns(binding.Object);
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.FunctionDefinition).Returns(definition.Object);
        context.Setup(c => c.Features).Returns(features.Object);
        context.Setup(c => c.InstanceServices).Returns(scope.ServiceProvider);

        await new DurableClientMiddleware().Invoke(context.Object, _ => function(scope.ServiceProvider));
    }
}
