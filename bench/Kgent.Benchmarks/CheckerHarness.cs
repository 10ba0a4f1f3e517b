using System.Diagnostics;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Semantics;

namespace Kgent.Benchmarks;

/// <summary>Figures for the semantic checker: catalog load from a snapshot and from the live kernel, then the
/// median time to check one program, side by side with the time bpftrace needs to reject the same program
/// (<c>bpftrace -d</c>: parse and semantic analysis, nothing loaded; the fastest way bpftrace can say no).</summary>
public static class CheckerHarness
{
    private static readonly (string Name, string Program)[] Programs =
    [
        ("unknown tracepoint", "tracepoint:syscalls:sys_enter_opennat { @c[comm] = count(); }\n"),
        ("unknown args field", "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filenam)); }\n"),
        ("printf type", "tracepoint:syscalls:sys_enter_openat { printf(\"%d %s\\n\", comm, pid); }\n"),
        ("unknown struct field", "tracepoint:sock:inet_sock_set_state { $sk = (struct sock *)args->skaddr; printf(\"%d\\n\", $sk->__sk_common.skc_dprot); }\n"),
        ("map type clash", "tracepoint:syscalls:sys_enter_openat { @x = count(); @x = 1; }\n"),
    ];

    public static void Run(string snapshot, TextWriter output)
    {
        var load = Stopwatch.StartNew();
        var catalog = CatalogSnapshot.Read(snapshot);
        _ = catalog.Btf!.FindFunction("tcp_connect");
        load.Stop();
        var loads = Enumerable.Range(0, 5).Select(_ => Time(() => CatalogSnapshot.Read(snapshot).Btf!.FindFunction("x"))).Order().ToList();
        output.WriteLine($"catalog load from snapshot {snapshot}: first {load.Elapsed.TotalMilliseconds:F0} ms, median {loads[2]:F0} ms (BTF {catalog.Btf.Count:N0} types, {catalog.TracepointCount:N0} tracepoints)");
        if (File.Exists("/sys/kernel/btf/vmlinux"))
        {
            var live = Enumerable.Range(0, 3).Select(_ => Time(() => CatalogLoader.LoadLive().Btf?.FindFunction("x"))).Order().ToList();
            output.WriteLine($"catalog load from the live kernel (BTF + tracefs + kallsyms + bpftrace --info): median {live[1]:F0} ms");
        }

        output.WriteLine();
        output.WriteLine("| program | kgent check (median) | bpftrace -d rejects | speed-up |");
        output.WriteLine("|---|---|---|---|");
        foreach (var (name, program) in Programs)
        {
            for (var i = 0; i < 20; i++)
            {
                SemanticChecker.Check(program, "bench.bt", catalog);
            }

            var samples = Enumerable.Range(0, 200).Select(_ => Time(() => SemanticChecker.Check(program, "bench.bt", catalog))).Order().ToList();
            var ours = samples[samples.Count / 2];
            var theirs = BpftraceReject(program);
            var speedup = theirs is null ? "n/a" : $"{theirs.Value / ours:N0}×";
            output.WriteLine($"| {name} | {ours:F3} ms | {(theirs is null ? "bpftrace absent" : $"{theirs:F0} ms")} | {speedup} |");
        }
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double? BpftraceReject(string program)
    {
        var bpftrace = new[] { "/usr/bin/bpftrace", "/usr/sbin/bpftrace" }.FirstOrDefault(File.Exists);
        if (bpftrace is null)
        {
            return null;
        }

        var file = Path.Combine(Path.GetTempPath(), $"kgent-bench-{Guid.NewGuid():N}.bt");
        File.WriteAllText(file, program);
        try
        {
            var samples = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                using var process = Process.Start(new ProcessStartInfo(bpftrace, ["-d", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                process.WaitForExit();
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }

            samples.Sort();
            return samples[2];
        }
        finally
        {
            File.Delete(file);
        }
    }
}
