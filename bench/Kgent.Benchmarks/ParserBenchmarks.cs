using BenchmarkDotNet.Attributes;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Benchmarks;

/// <summary>Front-end cost over the whole installed corpus (~38 tools, ~1,800 lines) per operation.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private SourceText[] _tools = [];
    private ParseResult[] _parsed = [];

    [GlobalSetup]
    public void Setup()
    {
        _tools = InstalledTools.Load();
        _parsed = [.. _tools.Select(BpftraceParser.Parse)];
    }

    [Benchmark(Description = "parse all installed tools")]
    public int ParseAll()
    {
        var items = 0;
        foreach (var tool in _tools)
        {
            items += BpftraceParser.Parse(tool).Program.Items.Length;
        }

        return items;
    }

    [Benchmark(Description = "print all installed tools")]
    public int PrintAll()
    {
        var length = 0;
        foreach (var result in _parsed)
        {
            length += BpftracePrinter.Print(result).Length;
        }

        return length;
    }
}
