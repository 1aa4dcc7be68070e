using System.Text.Json;
using CredentialFunctions.Application.Cohorts;
using CredentialFunctions.Application.Renewal;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Extensions.DurableTask.Execution;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Renewal.Tests.Wiring;

/// <summary>
/// The renewal window's tasks have no [Function] shims: Program.cs registers them by class, and the
/// Durable extension's DurableMetadataTransformer adds each registered task to the functions the
/// worker lists to the host, with an entry point its DurableFunctionExecutor answers by making the
/// registered class. Checked on the worker Program.cs builds, since no Functions host runs here.
/// </summary>
[Collection(AppProgramCollection.Name)]
public sealed class ClassRegisteredTaskFunctionsTests(AppProgramHost app) : IClassFixture<AppProgramHost>
{
    public static TheoryData<string, string, Type> RenewalWindowTasks => new()
    {
        { RenewalWindowOrchestrator.Name, "orchestrationTrigger", typeof(RenewalWindowOrchestrator) },
        { nameof(PlanRenewalStep), "activityTrigger", typeof(PlanRenewalStep) },
        { nameof(TakeRenewalStep), "activityTrigger", typeof(TakeRenewalStep) },
    };

    [Theory]
    [MemberData(nameof(RenewalWindowTasks))]
    public async Task A_renewal_window_task_registered_by_class_is_listed_to_the_host_as_a_Durable_function_with_its_trigger(string task, string trigger, Type _)
    {
        var function = Assert.Single(await ListedFunctionsAsync(), f => f.Name == task);

        Assert.IsType<DurableFunctionMetadata>(function);
        Assert.Equal([trigger], function.RawBindings!.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("type").GetString()));
    }

    /// <summary>The factory the executor asks, by the invoked function's name, for the task to run.</summary>
    [Theory]
    [MemberData(nameof(RenewalWindowTasks))]
    public async Task The_Durable_executor_makes_a_listed_renewal_window_task_from_its_registered_class(string task, string _, Type registered)
    {
        await using var invocation = app.Host.Services.CreateAsyncScope();
        var factory = app.Host.Services.GetRequiredService<IDurableTaskFactory>();

        object? made = factory.TryCreateOrchestrator(task, invocation.ServiceProvider, out var orchestrator) ? orchestrator
            : factory.TryCreateActivity(task, invocation.ServiceProvider, out var activity) ? activity
            : null;

        Assert.IsType(registered, made);
    }

    /// <summary>A task both shimmed and registered by class would be listed twice under one name; the shims' list is there too.</summary>
    [Fact]
    public async Task No_function_is_listed_twice_and_the_shimmed_cohort_run_is_listed_beside_the_class_registered_tasks()
    {
        var names = (await ListedFunctionsAsync()).Select(f => f.Name).ToList();

        Assert.Empty(names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Contains(CohortRunOrchestrator.Name, names);
    }

    /// <summary>What the worker answers the host's metadata request with: the generated list, then the transformers.</summary>
    private async Task<IReadOnlyList<IFunctionMetadata>> ListedFunctionsAsync()
        => await app.Host.Services.GetRequiredService<IFunctionMetadataManager>().GetFunctionMetadataAsync(AppContext.BaseDirectory);
}
