using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialFunctions.Adapters.Durable;

/// <summary>
/// The Durable client of the invocation in progress, one per DI scope. In Azure the isolated worker
/// has no <see cref="DurableTaskClient"/> of its own: the host hands one to each invocation of a
/// function with a [DurableClient] parameter, so whatever runs the invocation sets it here before
/// the function's class is made (the Functions worker's DurableClientMiddleware, the local host's
/// FunctionEndpoints), and the scoped <see cref="DurableRenewalWindows"/> is built around it.
/// </summary>
public sealed class DurableClientAccessor
{
    private DurableTaskClient? _client;

    public DurableTaskClient Client
    {
        get => _client ?? throw new InvalidOperationException(
            "No Durable client was set for this invocation, and the renewal windows need one. A function whose class tells the " +
            "renewal windows (through CredentialLifecycle, IssuanceService or a reconciliation) must take a [DurableClient] " +
            "DurableTaskClient parameter: the host binds it and sets it here. Outside a function invocation, create a scope " +
            "and set DurableClientAccessor.Client before resolving those services.");
        set => _client = value;
    }
}
