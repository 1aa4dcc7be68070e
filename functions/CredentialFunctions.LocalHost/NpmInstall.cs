using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CredentialFunctions.LocalHost;

/// <summary>Installs a tools/ folder's npm packages from its lock file, once per checkout.</summary>
public static class NpmInstall
{
    /// <summary>
    /// Runs <c>npm ci</c> in <paramref name="directory"/> unless it has been done. Test projects run
    /// in parallel processes, so the install holds an exclusive lock; whoever waited finds it installed.
    /// </summary>
    public static async Task EnsureAsync(string directory, CancellationToken cancellationToken)
    {
        // npm writes this file last, so a half-finished install does not count as installed.
        var installed = Path.Combine(directory, "node_modules", ".package-lock.json");
        if (File.Exists(installed)) return;
        var lockPath = Path.Combine(Path.GetTempPath(), $"npm-ci-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..16]}.lock");
        await using var gate = await AcquireExclusiveAsync(lockPath, cancellationToken);
        if (File.Exists(installed)) return;
        using var npm = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start npm.");
        var output = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {directory} failed with exit code {npm.ExitCode}:\n{await output}\n{await stderr}");
    }

    private static async Task<FileStream> AcquireExclusiveAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
