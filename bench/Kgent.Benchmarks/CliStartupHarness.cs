using System.Diagnostics;

namespace Kgent.Benchmarks;

/// <summary>Whole-process <c>kgent check FILE</c> against <c>bpftrace -d FILE</c> (parse and analyse, nothing loaded) on the
/// same programs: each run a fresh process, the three commands alternating run by run so the machine's drift falls on
/// all alike, the median of the runs reported side by side. <c>kgent</c> is the ReadyToRun command line setup makes
/// (.kgent/cli/kgent); <c>./kgent</c> is the repository's launcher, which first checks that the build is current.</summary>
public static class CliStartupHarness
{
    private static readonly (string Name, string Program)[] Programs =
    [
        ("a tracepoint program", "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }\n"),
        ("an unknown args field", "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filenam)); }\n"),
        ("a struct through BTF", "tracepoint:sock:inet_sock_set_state { $sk = (struct sock *)args->skaddr; printf(\"%d\\n\", $sk->__sk_common.skc_dport); }\n"),
    ];

    public static void Run(string repository, int runs, TextWriter output)
    {
        if (ReadyToRunCli(repository, output) is not var (root, kgent))
        {
            return;
        }

        var bpftrace = new[] { "/usr/bin/bpftrace", "/usr/sbin/bpftrace" }.FirstOrDefault(File.Exists);
        var directory = Directory.CreateTempSubdirectory("kgent-startup-").FullName;
        try
        {
            output.WriteLine($"median wall time of {runs} runs each, alternating; kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {Environment.ProcessorCount} CPUs");
            output.WriteLine();
            output.WriteLine("| program | kgent check | ./kgent check (launcher) | bpftrace -d | kgent / bpftrace |");
            output.WriteLine("|---|---|---|---|---|");
            foreach (var (name, program) in Programs)
            {
                var file = Path.Combine(directory, "program.bt");
                File.WriteAllText(file, program);
                var commands = new List<(string File, string[] Args)> { (kgent, ["check", file]), (Path.Combine(root, "kgent"), ["check", file]) };
                if (bpftrace is not null)
                {
                    commands.Add((bpftrace, ["-d", file]));
                }

                foreach (var (command, args) in commands)
                {
                    Time(command, args); // warm the page cache
                }

                var samples = commands.Select(_ => new List<double>()).ToList();
                for (var run = 0; run < runs; run++)
                {
                    for (var i = 0; i < commands.Count; i++)
                    {
                        samples[i].Add(Time(commands[i].File, commands[i].Args));
                    }
                }

                var medians = samples.Select(Median).ToList();
                var theirs = medians.Count > 2 ? medians[2] : (double?)null;
                output.WriteLine($"| {name} | {medians[0]:F0} ms | {medians[1]:F0} ms | {(theirs is null ? "bpftrace absent" : $"{theirs:F0} ms")} | " +
                    $"{(theirs is null ? "n/a" : $"{medians[0] / theirs.Value:F2}")} |");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The repository's root and the ReadyToRun command line setup makes in it, or null after saying it is missing.</summary>
    internal static (string Root, string Kgent)? ReadyToRunCli(string repository, TextWriter output)
    {
        var root = Path.GetFullPath(repository);
        var kgent = Path.Combine(root, ".kgent", "cli", "kgent");
        if (File.Exists(kgent))
        {
            return (root, kgent);
        }

        output.WriteLine($"no ReadyToRun command line at {kgent}: run scripts/setup.sh first");
        return null;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Time(string command, string[] args)
    {
        var start = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return watch.Elapsed.TotalMilliseconds;
    }
}
