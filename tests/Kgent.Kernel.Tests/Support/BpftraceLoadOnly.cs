using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Kgent.Kernel.Tests.Support;

/// <summary>bpftrace's own verdict on a program, obtained the way the host notes recommend: run it with
/// <c>__BPFTRACE_NOTIFY_PROBES_ATTACHED=1</c>, send SIGINT when the "all probes attached" marker appears, retry
/// with SIGTERM, kill after a hard limit. Accepted means: marker seen, exit code 0, and no attach point skipped.</summary>
public static class BpftraceLoadOnly
{
    private const string Marker = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";
    private const int SigInt = 2;
    private const int SigTerm = 15;

    public sealed record Verdict(bool Accepted, int ExitCode, string Stderr)
    {
        /// <summary>The first line that explains a rejection, without the RLIMIT noise every run prints.</summary>
        public string Reason => Stderr.Split('\n').FirstOrDefault(l => l.Contains("ERROR") || l.Contains("error") || l.Contains("WARNING"))?.Trim() ?? $"exit {ExitCode}";
    }

    public static Verdict Run(string program, TimeSpan? limit = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kgent-load-{Guid.NewGuid():N}.bt");
        File.WriteAllText(file, program);
        try
        {
            return RunFile(file, limit ?? TimeSpan.FromSeconds(20));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Verdict RunFile(string file, TimeSpan limit)
    {
        var start = new ProcessStartInfo(Host.BpftracePath!, [file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[Marker] = "1";
        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        var attached = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                if (!e.Data.Contains("RLIMIT_MEMLOCK", StringComparison.Ordinal))
                {
                    stderr.AppendLine(e.Data);
                }
            }

            if (e.Data.Contains(Marker, StringComparison.Ordinal))
            {
                attached.Set();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var deadline = Stopwatch.StartNew();
        var exited = false;
        while (!exited && deadline.Elapsed < limit)
        {
            if (attached.Wait(50))
            {
                break;
            }

            exited = process.HasExited;
        }

        if (!process.HasExited && attached.IsSet)
        {
            _ = Kill(process.Id, SigInt);
            if (!process.WaitForExit(1000))
            {
                while (!process.WaitForExit(500) && deadline.Elapsed < limit)
                {
                    _ = Kill(process.Id, SigTerm);
                }
            }
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        var text = stderr.ToString();
        // A skipped attach point ("could not attach probe") or a kprobe wildcard that silently matched nothing
        // ("Could not read symbols") means bpftrace ran without part of the program: not accepted.
        var accepted = attached.IsSet && process.ExitCode == 0
            && !text.Contains("could not attach probe", StringComparison.Ordinal)
            && !text.Contains("Could not read symbols", StringComparison.Ordinal);
        return new Verdict(accepted, process.ExitCode, text);
    }

    /// <summary>A newer release's verdict, from its chroot: <c>bpftrace --dry-run</c> (0.22 and later) attaches every
    /// probe and exits; accepted means exit 0 and no attach point skipped.</summary>
    public static Verdict RunIn(string suite, string program, TimeSpan? limit = null)
    {
        var tree = BpftraceTrees.Tree(suite);
        var name = $"kgent-load-{Guid.NewGuid():N}.bt";
        var file = Path.Combine(tree, "tmp", name);
        File.WriteAllText(file, program);
        try
        {
            var start = new ProcessStartInfo("timeout", ["-s", "KILL", ((int)(limit ?? TimeSpan.FromSeconds(30)).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "chroot", tree, "bpftrace", "--dry-run", "/tmp/" + name])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var text = string.Join('\n', (stderr.Result + stdout.Result).Split('\n')
                .Where(l => !l.Contains("RLIMIT_MEMLOCK", StringComparison.Ordinal) && !l.Contains("available_filter_functions", StringComparison.Ordinal)));
            var accepted = process.ExitCode == 0
                && !text.Contains("could not attach probe", StringComparison.Ordinal)
                && !text.Contains("Could not read symbols", StringComparison.Ordinal);
            return new Verdict(accepted, process.ExitCode, text);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
