using System.Diagnostics;
using System.Text;

namespace CredentialFunctions.LocalHost;

/// <summary>
/// One of the Node servers under tools/ (installed from its lock file) running as a child process,
/// killed on dispose. The local Cosmos server and maildev both start this way, for the local host,
/// the test fixtures and the benchmarks alike.
/// </summary>
public sealed class NodeTool : IAsyncDisposable
{
    // Generous: on two busy cores a test run starts several servers while others compile and run,
    // and Azurite was seen taking over 30 s to listen there; a deadline, not a wait.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly string _name;
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeTool(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>
    /// Starts <c>node server.js</c> in tools/<paramref name="name"/> with <c>--exit-with-stdin</c>, so the
    /// server also ends if this process dies without disposing it, and waits until
    /// <paramref name="ready"/> says it serves.
    /// </summary>
    /// <param name="onOutputLine">Sees each line the server prints, before <paramref name="ready"/> is asked.</param>
    /// <param name="ready">Completes when the server answers; cancelled when it exits or does not answer in time.</param>
    public static async Task<(NodeTool Tool, T Ready)> StartAsync<T>(
        string name, IReadOnlyList<string> arguments, Action<string>? onOutputLine, Func<CancellationToken, Task<T>> ready, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(RepositoryRoot.Find(), "tools", name);
        await NpmInstall.EnsureAsync(directory, cancellationToken);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("node", ["server.js", .. arguments, "--exit-with-stdin"])
            {
                WorkingDirectory = directory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
            EnableRaisingEvents = true,
        };
        var tool = new NodeTool(process, name);
        // Both pipes are drained, so a server that logs a lot can never stall on a full pipe.
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) onOutputLine?.Invoke(line.Data); };
        process.ErrorDataReceived += (_, line) => { lock (tool._errors) tool._errors.AppendLine(line.Data); };
        process.Exited += (_, _) => tool._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (tool, await tool.WaitUntilReadyAsync(ready, cancellationToken));
        }
        catch
        {
            await tool.DisposeAsync();
            throw;
        }
    }

    private async Task<T> WaitUntilReadyAsync<T>(Func<CancellationToken, Task<T>> ready, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(StartTimeout);
        var answered = ready(stop.Token);
        var first = await Task.WhenAny(answered, _exited.Task.WaitAsync(stop.Token));
        if (first == answered && answered.IsCompletedSuccessfully) return answered.Result;
        cancellationToken.ThrowIfCancellationRequested();
        await stop.CancelAsync();
        string errors;
        lock (_errors) errors = _errors.ToString();
        throw _exited.Task.IsCompleted
            ? new InvalidOperationException($"{_name} exited ({_process.ExitCode}) before it was ready:\n{errors}")
            : new TimeoutException($"{_name} was not ready within {StartTimeout}:\n{errors}", answered.Exception);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
