using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Kgent.Benchmarks;

/// <summary>A whole offline <c>kgent synth</c> (a fresh process: retrieval, synthesis, check, comprehension, the intent
/// check with Z3, the kernel verifier) beside one whole <c>kgent verify</c> of the program it returned (a fresh process
/// that loads it into the kernel and detaches it): the two alternate run by run, and the medians are side by side with
/// their ratio, against the target of 1.5. Each synth starts from a copy of the same seeded example store, so no run
/// retrieves what an earlier one learned. Needs root and bpftrace; <c>kgent</c> is the ReadyToRun build setup makes.</summary>
public static class SynthHarness
{
    private static readonly string[] Requests =
    [
        "trace TCP connects with their IPv4/IPv6 addresses and ports",
        "count file opens by process name",
        "print the name of each program executed with its PID",
    ];

    public static void Run(string repository, int runs, TextWriter output)
    {
        if (CliStartupHarness.ReadyToRunCli(repository, output) is not var (root, kgent))
        {
            return;
        }

        var directory = Directory.CreateTempSubdirectory("kgent-synth-bench-").FullName;
        try
        {
            // A store seeded with the dataset's train split, made once and copied for every run.
            var seeded = Path.Combine(directory, "seeded.db");
            Execute(kgent, ["examples", "import", Path.Combine(root, "datasets", "ebpfnl"), "--store", seeded]);
            output.WriteLine($"median wall time of {runs} runs each, synth and verify alternating; offline retrieval model; kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {Environment.ProcessorCount} CPUs");
            output.WriteLine();
            output.WriteLine("| request | kgent synth (whole) | kgent verify of its program | synth / verify | target |");
            output.WriteLine("|---|---|---|---|---|");
            foreach (var request in Requests)
            {
                var program = Path.Combine(directory, "final.bt");
                var synth = new List<double>();
                var verify = new List<double>();
                for (var run = 0; run <= runs; run++)
                {
                    var store = Path.Combine(directory, $"run{run}.db");
                    File.Copy(seeded, store, overwrite: true);
                    var (ms, json) = Execute(kgent, ["synth", "--json", "--store", store, request]);
                    var returned = JsonNode.Parse(json)?["program"]?.GetValue<string>();
                    if (returned is null)
                    {
                        output.WriteLine($"| {request} | gave up: no program to verify | | | |");
                        break;
                    }

                    File.WriteAllText(program, returned);
                    var (verifyMs, _) = Execute(kgent, ["verify", program]);
                    if (run > 0)
                    {
                        // The first round warms the page cache and is not counted.
                        synth.Add(ms);
                        verify.Add(verifyMs);
                    }
                }

                if (synth.Count > 0)
                {
                    var (s, v) = (CliStartupHarness.Median(synth), CliStartupHarness.Median(verify));
                    output.WriteLine($"| {request} | {s:F0} ms | {v:F0} ms | {s / v:F2} | {(s / v <= 1.5 ? "met" : "not met")} (≤ 1.5) |");
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (double Milliseconds, string Output) Execute(string command, string[] args)
    {
        var start = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["KGENT_ENDPOINT"] = string.Empty; // the offline model, whatever the caller configured
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = error.Result;
        return (watch.Elapsed.TotalMilliseconds, output);
    }
}
