using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Kgent.Kernel.Processes;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>One bpftrace process, driven the way this host needs (see shared/notes/bpftrace-on-this-host.md): an
/// <see cref="OwnedProcess"/> (so it cannot outlive Kgent) with <c>__BPFTRACE_NOTIFY_PROBES_ATTACHED=1</c>, whose
/// marker on stderr says every probe passed the verifier and attached. <see cref="Stop"/> sends SIGINT (END blocks run,
/// maps are printed), repeats with SIGTERM if the signal was lost, and kills the process group at the hard deadline.
/// Output is bounded; the RLIMIT_MEMLOCK line every run prints is dropped.</summary>
internal sealed class BpftraceProcess : IDisposable
{
    public const string AttachedMarker = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly ManualResetEventSlim attached = new();
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly List<string> stderr = [];
    private readonly long outputLimit;
    private OwnedProcess process = null!;
    private long outputBytes;

    private BpftraceProcess(long outputLimit)
    {
        this.outputLimit = outputLimit;
    }

    /// <summary>Raised for each stdout line as it arrives (on a reader thread).</summary>
    public event Action<string>? StdoutLine;

    public TimeSpan? AttachedAfter { get; private set; }

    public bool Attached => attached.IsSet;

    public bool OutputTruncated { get; private set; }

    public bool HasExited => process.HasExited;

    /// <summary>bpftrace's own pid (not its guard's).</summary>
    public int ProcessId => process.Pid;

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

    /// <summary>Starts <c>bpftrace ARGS</c>; null when the executable cannot be started (the reason in <paramref name="problem"/>).
    /// <paramref name="directory"/> is the temporary folder holding the program, removed by the guard if Kgent dies.</summary>
    public static BpftraceProcess? Start(string bpftrace, IEnumerable<string> arguments, long outputLimit, string? directory, out string? problem)
    {
        // The next run reaps what an earlier one left behind (see ChildRegistry), before it loads anything itself.
        ChildRegistry.Default.ReapOnce();
        var wrapper = new BpftraceProcess(outputLimit);
        var command = new ChildCommand("bpftrace", bpftrace, [.. arguments])
        {
            Environment = new Dictionary<string, string> { [AttachedMarker] = "1" },
            TemporaryDirectory = directory,
        };
        try
        {
            wrapper.process = OwnedProcess.Start(command, wrapper.OnStdout, wrapper.OnStderr);
            problem = null;
            return wrapper;
        }
        catch (ChildStartException e)
        {
            wrapper.attached.Dispose();
            problem = e.Message;
            return null;
        }
    }

    /// <summary>Waits until every probe is attached, the process exits, the deadline passes or the caller cancels; true
    /// when attached.</summary>
    public bool WaitForAttach(TimeSpan deadline, CancellationToken cancellation = default)
    {
        while (clock.Elapsed < deadline && !cancellation.IsCancellationRequested)
        {
            if (attached.Wait(20) || process.HasExited)
            {
                break;
            }
        }

        // The marker may still be in the pipe when the process has just exited.
        if (process.HasExited)
        {
            process.WaitForExit(TimeSpan.FromSeconds(2));
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
            process.WaitForExit(TimeSpan.FromSeconds(2));
            return false;
        }

        var stopAt = clock.Elapsed;
        if (attached.IsSet)
        {
            process.Signal(PosixSignals.Interrupt);
            if (process.WaitForExit(TimeSpan.FromSeconds(1)))
            {
                return false;
            }

            while (clock.Elapsed - stopAt < hardDeadline)
            {
                process.Signal(PosixSignals.Terminate);
                if (process.WaitForExit(TimeSpan.FromMilliseconds(500)))
                {
                    return false;
                }
            }
        }

        Kill();
        return true;
    }

    /// <summary>Kills bpftrace and everything in its process group.</summary>
    public void Kill() => process.Kill();

    /// <summary>Waits for the exit (and for the output pipes to drain); false on timeout.</summary>
    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

    public int ExitCode => process.ExitCode;

    public void Dispose()
    {
        process.Dispose();
        attached.Dispose();
    }

    private void OnStdout(string line)
    {
        // bpftrace 0.17 prints the marker on stderr, 0.23 and later on stdout.
        if (line.Contains(AttachedMarker, StringComparison.Ordinal))
        {
            AttachedAfter ??= clock.Elapsed;
            attached.Set();
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

    private void OnStderr(string line)
    {
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
}
