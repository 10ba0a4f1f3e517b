using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Benchmarks;

/// <summary>A plain harness for a quick figure without BenchmarkDotNet's long runs: the first (cold) parse of the
/// corpus, then the median and best of many warm runs.</summary>
public static class QuickHarness
{
    public static void Run(TextWriter output)
    {
        var tools = InstalledTools.Load();
        var lines = tools.Sum(t => t.LineCount);

        var cold = Stopwatch.StartNew();
        foreach (var tool in tools)
        {
            BpftraceParser.Parse(tool);
        }

        cold.Stop();

        var samples = new List<double>();
        for (var run = 0; run < 200; run++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var tool in tools)
            {
                BpftraceParser.Parse(tool);
            }

            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        output.WriteLine($"corpus: {tools.Length} tools, {lines} lines in {InstalledTools.Directory}");
        output.WriteLine($"parse all, first run (cold, includes JIT): {cold.Elapsed.TotalMilliseconds:F2} ms");
        output.WriteLine($"parse all, warm: median {samples[samples.Count / 2]:F3} ms, best {samples[0]:F3} ms over {samples.Count} runs");
    }
}
