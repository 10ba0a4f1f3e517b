using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;

namespace Kgent.Benchmarks;

/// <summary>Figures for the kernel verifier stage and the runner: load-only time per program (median of 5), and the
/// runner's overhead over bare bpftrace running the same program for the same time, stopped the same way (marker, then
/// SIGINT after 1 s), median of 5 each.</summary>
public static class KernelHarness
{
    private static readonly (string Name, string Program)[] Programs =
    [
        ("count by comm", "tracepoint:raw_syscalls:sys_enter { @calls[comm] = count(); }\n"),
        ("openat printf", "tracepoint:syscalls:sys_enter_openat { printf(\"%s %s\\n\", comm, str(args->filename)); }\n"),
        ("read size hist", "tracepoint:syscalls:sys_exit_read /args->ret > 0/ { @bytes = hist(args->ret); }\n"),
        ("sched switch", "tracepoint:sched:sched_switch { @[args->next_comm] = count(); }\n"),
        ("tcp state", "tracepoint:sock:inet_sock_set_state { @states[args->oldstate, args->newstate] = count(); }\n"),
        ("block issue", "tracepoint:block:block_rq_issue { @bytes = sum(args->bytes); @n = count(); }\n"),
    ];

    public static void Run(TextWriter output)
    {
        var bpftrace = Kgent.Kernel.KernelInfo.Host.Bpftrace.BpftraceInfoReader.FindBpftrace();
        if (bpftrace is null)
        {
            output.WriteLine("bpftrace is not installed; nothing to measure");
            return;
        }

        output.WriteLine("| program | load-only (kgent verify) | bare bpftrace 1 s run | kgent run 1 s | runner overhead |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var (name, text) in Programs)
        {
            var parse = BpftraceParser.Parse(text, name.Replace(' ', '_') + ".bt");
            var load = Median(5, () => KernelLoader.Verify(parse));
            var bare = Median(5, () => Bare(bpftrace, text));
            var runner = Median(5, () => ProgramRunner.Run(parse, new RunOptions(TimeSpan.FromSeconds(1))));
            output.WriteLine($"| {name} | {load:F0} ms | {bare:F0} ms | {runner:F0} ms | {(runner - bare) / bare * 100:+0.0;-0.0}% ({runner - bare:+0;-0} ms) |");
        }
    }

    /// <summary>bpftrace alone: start with the attach marker, trace 1 s, SIGINT, wait for the exit; output drained.</summary>
    private static void Bare(string bpftrace, string program)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kgent-bare-{Guid.NewGuid():N}.bt");
        File.WriteAllText(file, program);
        try
        {
            var start = new ProcessStartInfo(bpftrace, ["-f", "json", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["__BPFTRACE_NOTIFY_PROBES_ATTACHED"] = "1";
            using var process = Process.Start(start)!;
            var attached = new ManualResetEventSlim();
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("__BPFTRACE_NOTIFY_PROBES_ATTACHED", StringComparison.Ordinal) == true)
                {
                    attached.Set();
                }
            };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            attached.Wait(TimeSpan.FromSeconds(30));
            Thread.Sleep(1000);
            kill(process.Id, 2);
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static double Median(int runs, Action action)
    {
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return samples[runs / 2];
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int kill(int pid, int signal);
}
