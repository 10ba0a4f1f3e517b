using System.Diagnostics;
using System.Text;
using Kgent.Kernel.Platform;

namespace Kgent.Kernel.Processes;

/// <summary>A child that cannot outlive Kgent. It runs under <c>kgent-guard</c> (native/guard), whose standard input is a
/// pipe Kgent holds: when Kgent ends in any way — exit, exception, SIGTERM, SIGINT, even SIGKILL — the kernel closes the
/// pipe and the guard kills the child's process group and every descendant, and removes the child's temporary folder.
/// The child itself gets PR_SET_PDEATHSIG from the guard, so it dies with the guard too, and it is listed in the run
/// registry (<see cref="ChildRegistry"/>) until Kgent reaps it. Its environment holds no secret (<see cref="Secrets"/>).
/// Without the guard binary the child runs in its own session and is killed as a group on <see cref="Kill"/>, which
/// covers every way Kgent ends except SIGKILL (<c>kgent doctor</c> says so).</summary>
public sealed class OwnedProcess : IDisposable
{
    public const string ChildMarker = "__KGENT_GUARD_CHILD=";
    private static readonly TimeSpan GuardGrace = TimeSpan.FromSeconds(3);
    private readonly Process process;
    private readonly bool guarded;
    private readonly Action<string>? onStdout;
    private readonly Action<string>? onStderr;
    private readonly ManualResetEventSlim childKnown = new();
    private readonly ManualResetEventSlim outputClosed = new();
    private int openStreams = 2;
    private int childPid;
    private string? recordPath;
    private bool disposed;

    private OwnedProcess(Process process, bool guarded, Action<string>? onStdout, Action<string>? onStderr)
    {
        this.process = process;
        this.guarded = guarded;
        this.onStdout = onStdout;
        this.onStderr = onStderr;
    }

    /// <summary>The child's pid (not the guard's).</summary>
    public int Pid => childPid;

    /// <summary>The guard's pid, or null when the child runs unguarded.</summary>
    public int? GuardPid => guarded ? process.Id : null;

    public bool IsGuarded => guarded;

    public bool HasExited => process.HasExited;

    /// <summary>The child's exit code (128 + the signal when a signal ended it).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Starts a child. Lines of its standard output and error go to the callbacks (on reader threads).</summary>
    /// <exception cref="ChildStartException">The program does not exist or cannot be started.</exception>
    public static OwnedProcess Start(ChildCommand command, Action<string>? onStdout = null, Action<string>? onStderr = null)
    {
        var executable = Resolve(command.Executable)
            ?? throw new ChildStartException($"cannot run {command.Executable}: no such program");
        var registry = ChildRegistry.Default;

        var guard = GuardBinary.Path;
        var start = new ProcessStartInfo(guard ?? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists) ?? executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (guard is not null)
        {
            if (command.TemporaryDirectory is { } directory)
            {
                start.ArgumentList.Add("--dir");
                start.ArgumentList.Add(directory);
            }

            start.ArgumentList.Add("--");
        }

        if (start.FileName != executable)
        {
            start.ArgumentList.Add(executable);
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Secrets.RemoveFrom(start.Environment);
        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            throw new ChildStartException($"cannot run {executable}: {e.Message}");
        }

        if (process is null)
        {
            throw new ChildStartException($"cannot run {executable}");
        }

        var owned = new OwnedProcess(process, guard is not null, onStdout, onStderr);
        process.OutputDataReceived += (_, e) => owned.OnOutput(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => owned.OnOutput(e.Data, error: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!owned.guarded)
        {
            owned.childPid = process.Id;
            owned.childKnown.Set();
            process.StandardInput.Close();
        }
        else
        {
            // The guard prints the child's pid right after its fork; it only fails to when it could not fork at all.
            while (!owned.childKnown.Wait(20) && !process.HasExited)
            {
            }
        }

        if (owned.childPid > 0 && ProcessIdentity.Of(process.Id) is { } guardIdentity)
        {
            owned.recordPath = registry.Register(new ChildRecord(command.Label, command.Display, ProcessIdentity.Current, guardIdentity,
                ProcessIdentity.Of(owned.childPid), command.TemporaryDirectory, DateTimeOffset.UtcNow));
        }

        return owned;
    }

    /// <summary>Runs a short command to its end (bounded by <paramref name="timeout"/> and <paramref name="maxOutput"/>
    /// characters of each output, 1 MiB by default); null when it cannot start or does not finish in time.</summary>
    public static (int ExitCode, string Stdout, string Stderr)? RunToEnd(ChildCommand command, TimeSpan timeout, int maxOutput = 1 << 20)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        void Append(StringBuilder builder, string line)
        {
            lock (builder)
            {
                if (builder.Length < maxOutput)
                {
                    builder.AppendLine(line);
                }
            }
        }

        try
        {
            using var process = Start(command, line => Append(stdout, line), line => Append(stderr, line));
            if (!process.WaitForExit(timeout))
            {
                process.Kill();
                return null;
            }

            lock (stdout)
            {
                lock (stderr)
                {
                    return (process.ExitCode, stdout.ToString(), stderr.ToString());
                }
            }
        }
        catch (ChildStartException)
        {
            return null;
        }
    }

    /// <summary>Sends a signal to the child (through the guard, which forwards SIGINT, SIGTERM and SIGHUP).</summary>
    public void Signal(int signal)
    {
        if (!process.HasExited)
        {
            PosixSignals.Send(guarded ? process.Id : childPid, signal);
        }
    }

    /// <summary>Kills the child, its process group and its descendants, and waits for them.</summary>
    public void Kill()
    {
        if (process.HasExited)
        {
            return;
        }

        if (guarded)
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The guard is gone already.
            }

            if (process.WaitForExit(GuardGrace))
            {
                process.WaitForExit();
                return;
            }
        }

        if (childPid > 0)
        {
            PosixSignals.Send(-childPid, PosixSignals.Kill);
            PosixSignals.Send(childPid, PosixSignals.Kill);
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.WaitForExit();
    }

    /// <summary>Waits for the child to exit and its output to drain; false on timeout.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            return false;
        }

        process.WaitForExit();
        outputClosed.Wait(TimeSpan.FromSeconds(2));
        return true;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Kill();
        ChildRegistry.Remove(recordPath);
        process.Dispose();
        childKnown.Dispose();
        outputClosed.Dispose();
    }

    private void OnOutput(string? line, bool error)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref openStreams) == 0)
            {
                outputClosed.Set();
            }

            return;
        }

        if (error && guarded && !childKnown.IsSet && line.StartsWith(ChildMarker, StringComparison.Ordinal))
        {
            if (int.TryParse(line.AsSpan(ChildMarker.Length), out var pid))
            {
                childPid = pid;
            }

            childKnown.Set();
            return;
        }

        (error ? onStderr : onStdout)?.Invoke(line);
    }

    /// <summary>The program's full path: as given when it names a file, else the first match on PATH.</summary>
    private static string? Resolve(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(executable) ? executable : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
    }
}
