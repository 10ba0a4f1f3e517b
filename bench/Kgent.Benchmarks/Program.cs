using BenchmarkDotNet.Running;
using Kgent.Benchmarks;

if (args.Contains("--quick"))
{
    QuickHarness.Run(Console.Out);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args);
return 0;
