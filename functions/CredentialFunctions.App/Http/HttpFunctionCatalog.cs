using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace CredentialFunctions.App.Http;

/// <summary>One HTTP function as its attributes declare it: the single source of truth for both hosts.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> Methods);

/// <summary>Finds the app's HTTP functions by their [Function] and [HttpTrigger] attributes.</summary>
public static class HttpFunctionCatalog
{
    public static IReadOnlyList<HttpFunction> All { get; } = Discover(typeof(HttpFunctionCatalog).Assembly);

    private static readonly Dictionary<string, HttpFunction> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static HttpFunction? Find(string functionName) => ByName.GetValueOrDefault(functionName);

    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly) =>
        (from type in assembly.GetTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
         let function = method.GetCustomAttribute<FunctionAttribute>()
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)
         where function is not null && trigger is not null
         select new HttpFunction(function.Name, method, trigger.Route ?? function.Name, trigger.Methods?.Select(m => m.ToUpperInvariant()).ToArray() ?? ["GET", "POST"]))
        .OrderBy(f => f.Route, StringComparer.Ordinal)
        .ToList();
}
