using Kgent.Kernel.Runner;

namespace Kgent.Cli.Output;

/// <summary>Prints a run: printf output as it came, then each map (keyed maps sorted by value, histograms as bars).</summary>
public static class RunRenderer
{
    public static void Write(TextWriter output, RunResult result, ConsoleStyle style)
    {
        foreach (var line in result.Printf)
        {
            output.Write(line.EndsWith('\n') ? line : line + "\n");
        }

        foreach (var map in result.Maps)
        {
            output.WriteLine();
            WriteMap(output, map.Name, map.Data);
        }

        foreach (var message in result.Messages)
        {
            output.WriteLine(style.Warning($"bpftrace: {message}"));
        }

        if (result.Workload is { } workload)
        {
            output.WriteLine(style.Dim($"workload '{workload.Command}' (pid {workload.ProcessId}) " +
                (workload.TimedOut ? "was stopped at the time limit" : $"exited with {workload.ExitCode}")));
        }

        output.WriteLine(style.Dim($"traced {result.Traced.TotalSeconds:F1} s, stopped by {Reason(result.StoppedBy)}; {result.Printf.Length} printf events, {result.Maps.Length} maps" +
            (result.OutputTruncated ? "; output truncated at the limit" : string.Empty)));
    }

    private static string Reason(StopReason reason) => reason switch
    {
        StopReason.WorkloadExited => "the workload's exit",
        StopReason.MaxEvents => "the event limit",
        StopReason.ProgramExited => "the program (exit())",
        StopReason.OutputLimit => "the output limit",
        StopReason.Killed => "a kill (bpftrace did not stop when asked)",
        StopReason.Interrupted => "an interrupt",
        _ => "the duration",
    };

    private static void WriteMap(TextWriter output, string name, MapData data)
    {
        switch (data)
        {
            case MapData.Scalar scalar:
                output.WriteLine($"{name}: {scalar.Value}");
                break;
            case MapData.Text text:
                output.WriteLine($"{name}: {text.Value}");
                break;
            case MapData.Stats stats:
                output.WriteLine($"{name}: count {stats.Count}, average {stats.Average}, total {stats.Total}");
                break;
            case MapData.Histogram histogram:
                output.WriteLine($"{name}:");
                WriteHistogram(output, histogram);
                break;
            case MapData.Keyed keyed:
                foreach (var entry in keyed.Entries.OrderByDescending(e => e.Value is MapData.Scalar s ? s.Value : 0))
                {
                    if (entry.Value is MapData.Histogram h)
                    {
                        output.WriteLine($"{name}[{entry.Key}]:");
                        WriteHistogram(output, h);
                    }
                    else
                    {
                        WriteMap(output, $"{name}[{entry.Key}]", entry.Value);
                    }
                }

                break;
        }
    }

    private static void WriteHistogram(TextWriter output, MapData.Histogram histogram)
    {
        var max = Math.Max(1, histogram.Buckets.Select(b => b.Count).DefaultIfEmpty(0).Max());
        foreach (var bucket in histogram.Buckets)
        {
            var range = $"[{(bucket.Min is { } min ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : "...")}, {(bucket.Max is { } top ? top.ToString(System.Globalization.CultureInfo.InvariantCulture) : "...")}]";
            output.WriteLine($"{range,-24} {bucket.Count,8} |{new string('@', (int)(bucket.Count * 50 / max)),-50}|");
        }
    }
}
