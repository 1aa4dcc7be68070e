using System.Reflection;
using System.Runtime.ExceptionServices;
using DurableTask.Core;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// A Durable backend seen through: every call goes on to the backend it wraps, and a subclass answers
/// or notes the few it cares about on the way (the local task hub its activity limit, the tests and
/// benchmarks what each episode did).
/// </summary>
public abstract class OrchestrationServiceProxy : DispatchProxy
{
    protected IOrchestrationService Inner { get; private set; } = null!;

    /// <returns>The backend as its dispatchers will call it, and the proxy itself for what it notes.</returns>
    protected static (IOrchestrationService Service, TProxy Proxy) Wrap<TProxy>(IOrchestrationService inner) where TProxy : OrchestrationServiceProxy
    {
        var service = Create<IOrchestrationService, TProxy>();
        var proxy = (TProxy)(object)service;
        proxy.Inner = inner;
        return (service, proxy);
    }

    /// <summary>The wrapped backend's answer; its exception rethrown as it was thrown, not wrapped in reflection's.</summary>
    protected object? Forward(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(Inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
