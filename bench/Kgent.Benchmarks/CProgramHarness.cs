using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Compile;
using Kgent.Kernel.Libbpf.Verify;

namespace Kgent.Benchmarks;

/// <summary>A one-hook libbpf C program through Kgent's C stages — clang compile (vmlinux.h cached), then load-only
/// verification through libbpf — beside the same hook's bpftrace program through <c>kgent verify</c>'s stage (bpftrace
/// parses, compiles with its LLVM, loads, attaches, detaches). Medians of N runs each, in one run of the harness.</summary>
public static class CProgramHarness
{
    private static readonly (string Hook, string CFixture, string Bpftrace)[] Pairs =
    [
        ("tracepoint:syscalls:sys_enter_openat (count by comm)", "opens-by-comm.bpf.c", "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }\n"),
        ("tracepoint:syscalls:sys_exit_read (log2 histogram)", "read-bytes-histogram.bpf.c", "tracepoint:syscalls:sys_exit_read /args->ret > 0/ { @bytes = hist(args->ret); }\n"),
        ("tracepoint:sched:sched_process_exec (event per exec)", "exec-events.bpf.c", "tracepoint:sched:sched_process_exec { printf(\"%d %s %s\\n\", pid, comm, str(args->filename)); }\n"),
    ];

    public static void Run(string root, int runs, TextWriter output)
    {
        var fixtures = Path.Combine(root, "tests", "Kgent.Kernel.Tests", "Libbpf", "Fixtures", "accepted");
        // The first compile writes vmlinux.h and its PCH into the cache; that is setup's work, not a compile's.
        using (ClangCompiler.Compile(SourceText.FromFile(Path.Combine(fixtures, Pairs[0].CFixture))))
        {
        }

        output.WriteLine($"One-hook programs, median of {runs} runs each (this machine: {Environment.ProcessorCount} cores, shared).");
        output.WriteLine("C: clang -g -O2 -target bpf with vmlinux.h precompiled (built once per kernel and clang), then libbpf opens, loads (kernel verifier) and closes it; nothing attaches.");
        output.WriteLine("bpftrace: kgent verify's stage: bpftrace parses, compiles, loads, attaches and detaches.");
        output.WriteLine();
        output.WriteLine("| hook | C compile | C load-only | C total | bpftrace verify | C total / bpftrace |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var (hook, fixture, bpftrace) in Pairs)
        {
            var source = SourceText.FromFile(Path.Combine(fixtures, fixture));
            var compile = new List<double>();
            var load = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                using var build = ClangCompiler.Compile(source);
                compile.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                var verdict = CKernelLoader.Verify(build);
                load.Add(clock.Elapsed.TotalMilliseconds);
                if (!verdict.IsAccepted)
                {
                    output.WriteLine($"| {hook} | rejected: {verdict} |");
                    break;
                }
            }

            var parse = BpftraceParser.Parse(bpftrace, "bench.bt");
            var bpftraceTimes = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                KernelLoader.Verify(parse);
                bpftraceTimes.Add(clock.Elapsed.TotalMilliseconds);
            }

            var total = compile.Zip(load, (c, l) => c + l).ToList();
            output.WriteLine($"| {hook} | {Median(compile):F0} ms | {Median(load):F0} ms | {Median(total):F0} ms | {Median(bpftraceTimes):F0} ms | {Median(total) / Median(bpftraceTimes):F2} |");
        }
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
