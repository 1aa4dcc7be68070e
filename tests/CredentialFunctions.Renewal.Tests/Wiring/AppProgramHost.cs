using System.Diagnostics;
using System.Reflection;
using CredentialFunctions.App;
using Microsoft.Extensions.Hosting;

namespace CredentialFunctions.Renewal.Tests.Wiring;

/// <summary>
/// Alone: while <see cref="AppProgramHost"/> runs the app's Program, the process's entry assembly is
/// the app's, which no other test should see.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppProgramCollection
{
    public const string Name = "app program";
}

/// <summary>
/// The Functions worker as the app's own Program.cs builds it, stopped once its host is built, before
/// it would dial a Functions host (none runs here): what Program.cs wires, not a copy of it. The
/// worker runs the code the SDK generates into the app (its function list, the extensions' startups)
/// from the entry assembly, so the app's assembly stands in for the test runner's meanwhile.
/// </summary>
public sealed class AppProgramHost : IDisposable
{
    public IHost Host { get; }

    public AppProgramHost()
    {
        var app = typeof(CompositionRoot).Assembly;
        var runner = Assembly.GetEntryAssembly();
        var built = new HostBuilt(Environment.CurrentManagedThreadId);
        using var listening = DiagnosticListener.AllListeners.Subscribe(built);
        Assembly.SetEntryAssembly(app);
        try
        {
            app.EntryPoint!.Invoke(null, [DurableClientWiringTests.Settings.Select(s => $"--{s.Key}={s.Value}").ToArray()]);
        }
        catch (TargetInvocationException stopped) when (stopped.InnerException is HostAbortedException)
        {
        }
        finally
        {
            Assembly.SetEntryAssembly(runner);
        }
        Host = built.Host ?? throw new InvalidOperationException("The app's Program returned without building a host.");
    }

    public void Dispose() => Host.Dispose();

    /// <summary>
    /// Takes the host from the "HostBuilt" event the hosting library raises inside Build, and stops
    /// Program there by throwing the exception hosting defines for that (as WebApplicationFactory does).
    /// </summary>
    private sealed class HostBuilt(int programThread) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public IHost? Host { get; private set; }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
                listener.Subscribe(this);
        }

        public void OnNext(KeyValuePair<string, object?> hosting)
        {
            // Program runs on the thread that made this: a host another thread builds is not the app's.
            if (hosting.Key != "HostBuilt" || Environment.CurrentManagedThreadId != programThread)
                return;
            Host = (IHost)hosting.Value!;
            throw new HostAbortedException();
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
