using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace CredentialFunctions.Testing.Stores;

/// <summary>
/// Counts and times each store call of a run, by port and method, so the benchmark says where an
/// issuance's time goes: a store's calls, not our code between them, are what an issuance waits on;
/// and so a test can hold a use case to the calls it makes.
/// </summary>
/// <remarks>
/// A call to a method the interface implements itself (<see cref="Application.Ports.ICredentialStore.CreateAllIfAbsentAsync"/>)
/// is counted as one, and the calls it makes inside the store are not: wrap such a store in
/// <see cref="EachCreateCounted"/> to count those.
/// </remarks>
public sealed class StoreCalls
{
    private readonly ConcurrentDictionary<string, (long Count, double Milliseconds)> _calls = new(StringComparer.Ordinal);

    public T Timed<T>(T store) where T : class
    {
        var proxy = DispatchProxy.Create<T, TimedStore<T>>();
        ((TimedStore<T>)(object)proxy).Start(store, this);
        return proxy;
    }

    public void Clear() => _calls.Clear();

    /// <summary>Calls to one method so far, by its port and name ("IHoldingStore.GetAsync").</summary>
    public long Of(string call) => _calls.TryGetValue(call, out var c) ? c.Count : 0;

    /// <summary>Calls to any method of one port so far.</summary>
    public long OfPort(string port) => _calls.Where(c => c.Key.StartsWith(port + ".", StringComparison.Ordinal)).Sum(c => c.Value.Count);

    public long Total => _calls.Values.Sum(c => c.Count);

    /// <summary>Store calls in flight on average over a span of the given length since the last <see cref="Clear"/>: the concurrency a run achieved.</summary>
    public double MeanInFlight(TimeSpan span) => _calls.Values.Sum(c => c.Milliseconds) / span.TotalMilliseconds;

    /// <summary>The calls made since the last <see cref="Clear"/>, most time first, per unit of work (an issued credential).</summary>
    public IEnumerable<string> Report(int per)
        => _calls.OrderByDescending(c => c.Value.Milliseconds)
            .Select(c => $"  {c.Key}: {(double)c.Value.Count / per:N2} per credential, {c.Value.Milliseconds / c.Value.Count:N1} ms each")
            .Prepend($"  store calls per credential: {(double)_calls.Values.Sum(c => c.Count) / per:N1}");

    private void Record(string name, long started)
    {
        var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _calls.AddOrUpdate(name, (1, milliseconds), (_, c) => (c.Count + 1, c.Milliseconds + milliseconds));
    }

    /// <summary>A store whose every asynchronous call is timed to its end.</summary>
    public class TimedStore<T> : DispatchProxy where T : class
    {
        private T _inner = null!;
        private StoreCalls _calls = null!;

        internal void Start(T inner, StoreCalls calls) => (_inner, _calls) = (inner, calls);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var started = Stopwatch.GetTimestamp();
            object? result;
            try
            {
                result = method!.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
            if (result is Task task) task.ContinueWith(_ => _calls.Record($"{typeof(T).Name}.{method.Name}", started), TaskContinuationOptions.ExecuteSynchronously);
            return result;
        }
    }
}
