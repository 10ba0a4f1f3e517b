using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>One bpftrace process, driven the way this host needs (see shared/notes/bpftrace-on-this-host.md): started in
/// its own session (so it and its children can be killed as a group) with <c>__BPFTRACE_NOTIFY_PROBES_ATTACHED=1</c>, whose
/// marker on stderr says every probe passed the verifier and attached. <see cref="Stop"/> sends SIGINT (END blocks run,
/// maps are printed), repeats with SIGTERM if the signal was lost, and kills the group at the hard deadline. Output is
/// bounded; the RLIMIT_MEMLOCK line every run prints is dropped.</summary>
internal sealed class BpftraceProcess : IDisposable
{
    public const string AttachedMarker = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";
    private readonly Process process;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly ManualResetEventSlim attached = new();
    private readonly ManualResetEventSlim outputClosed = new();
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly List<string> stderr = [];
    private readonly long outputLimit;
    private long outputBytes;
    private int stdoutOpen = 2;

    private BpftraceProcess(Process process, long outputLimit)
    {
        this.process = process;
        this.outputLimit = outputLimit;
    }

    /// <summary>Raised for each stdout line as it arrives (on a reader thread).</summary>
    public event Action<string>? StdoutLine;

    public TimeSpan? AttachedAfter { get; private set; }

    public bool Attached => attached.IsSet;

    public bool OutputTruncated { get; private set; }

    public bool HasExited => process.HasExited;

    public int ProcessId => process.Id;

    public IReadOnlyList<string> Stdout => [.. stdout];

    public IReadOnlyList<string> Stderr
    {
        get
        {
            lock (stderr)
            {
                return [.. stderr];
            }
        }
    }

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Starts <c>bpftrace ARGS</c>; null when the executable cannot be started (the reason in <paramref name="problem"/>).</summary>
    public static BpftraceProcess? Start(string bpftrace, IEnumerable<string> arguments, long outputLimit, out string? problem)
    {
        var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        var start = new ProcessStartInfo(setsid ?? bpftrace)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(bpftrace);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[AttachedMarker] = "1";
        try
        {
            var process = Process.Start(start);
            if (process is null)
            {
                problem = $"could not start {bpftrace}";
                return null;
            }

            problem = null;
            var wrapper = new BpftraceProcess(process, outputLimit);
            process.StandardInput.Close();
            process.OutputDataReceived += (_, e) => wrapper.OnStdout(e.Data);
            process.ErrorDataReceived += (_, e) => wrapper.OnStderr(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return wrapper;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            problem = $"could not start {bpftrace}: {e.Message}";
            return null;
        }
    }

    /// <summary>Waits until every probe is attached, the process exits, or the deadline passes; true when attached.</summary>
    public bool WaitForAttach(TimeSpan deadline)
    {
        while (clock.Elapsed < deadline)
        {
            if (attached.Wait(20) || process.HasExited)
            {
                break;
            }
        }

        // The marker may still be in the pipe when the process has just exited.
        if (process.HasExited)
        {
            process.WaitForExit();
        }

        return attached.IsSet;
    }

    /// <summary>Stops bpftrace cleanly if it can (SIGINT; SIGTERM every 0.5 s after the first second, because a signal
    /// landing between two epoll_wait calls is lost) and kills its process group at <paramref name="hardDeadline"/>.
    /// Returns true when it had to be killed.</summary>
    public bool Stop(TimeSpan hardDeadline)
    {
        if (process.HasExited)
        {
            process.WaitForExit();
            return false;
        }

        var stopAt = clock.Elapsed;
        if (attached.IsSet)
        {
            PosixSignals.Send(process.Id, PosixSignals.Interrupt);
            if (process.WaitForExit(1000))
            {
                process.WaitForExit();
                return false;
            }

            while (clock.Elapsed - stopAt < hardDeadline)
            {
                PosixSignals.Send(process.Id, PosixSignals.Terminate);
                if (process.WaitForExit(500))
                {
                    process.WaitForExit();
                    return false;
                }
            }
        }

        Kill();
        return true;
    }

    /// <summary>Kills bpftrace and everything in its process group.</summary>
    public void Kill()
    {
        if (process.HasExited)
        {
            return;
        }

        PosixSignals.Send(-process.Id, PosixSignals.Kill);
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

    /// <summary>Waits for the exit (and for the output pipes to drain); false on timeout.</summary>
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

    public int ExitCode => process.ExitCode;

    public void Dispose()
    {
        Kill();
        process.Dispose();
        attached.Dispose();
        outputClosed.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            Closed();
            return;
        }

        if (Interlocked.Add(ref outputBytes, line.Length + 1) > outputLimit)
        {
            OutputTruncated = true;
            return;
        }

        stdout.Enqueue(line);
        StdoutLine?.Invoke(line);
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            Closed();
            return;
        }

        if (line.Contains(AttachedMarker, StringComparison.Ordinal))
        {
            AttachedAfter ??= clock.Elapsed;
            attached.Set();
            return;
        }

        if (line.Contains("couldn't set RLIMIT_MEMLOCK", StringComparison.Ordinal))
        {
            return;
        }

        if (Interlocked.Add(ref outputBytes, line.Length + 1) > outputLimit)
        {
            OutputTruncated = true;
            return;
        }

        lock (stderr)
        {
            stderr.Add(line);
        }
    }

    private void Closed()
    {
        if (Interlocked.Decrement(ref stdoutOpen) == 0)
        {
            outputClosed.Set();
        }
    }
}
