using Azure.Core;
using Microsoft.ApplicationInsights.Extensibility;
using CredentialFunctions.App;
using CredentialFunctions.App.Http;
using CredentialFunctions.Application.Renewal;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpPipelineMiddleware>();
// Inside the HTTP pipeline: a request it refuses never binds a Durable client.
builder.UseMiddleware<DurableClientMiddleware>();
builder.ConfigureDurableWorker().AddTasks(tasks => tasks.AddRenewalWindowTasks());
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
// Application Insights has local auth disabled: the worker's telemetry authenticates with the managed identity.
builder.Services.AddOptions<TelemetryConfiguration>().Configure<TokenCredential>((telemetry, credential) => telemetry.SetAzureTokenCredential(credential));
builder.Services.AddCredentialServices(builder.Configuration);
builder.Build().Run();
