using BenchmarkDotNet.Running;
using Kgent.Benchmarks;

if (args.Contains("--quick"))
{
    QuickHarness.Run(Console.Out);
    return 0;
}

if (args.Length >= 2 && args[0] == "--check")
{
    CheckerHarness.Run(args[1], Console.Out);
    return 0;
}

if (args.Length >= 2 && args[0] == "--symbex")
{
    SymbexHarness.Run(args[1], Console.Out);
    return 0;
}

if (args.Length >= 2 && args[0] == "--intent")
{
    IntentHarness.Run(args[1], Console.Out);
    return 0;
}

if (args.Length >= 1 && args[0] == "--cli-startup")
{
    CliStartupHarness.Run(args.Length >= 2 ? args[1] : ".", args.Length >= 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 9, Console.Out);
    return 0;
}

if (args.Length >= 1 && args[0] == "--synth")
{
    SynthHarness.Run(args.Length >= 2 ? args[1] : ".", args.Length >= 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 7, Console.Out);
    return 0;
}

if (args.Length >= 1 && args[0] == "--c-programs")
{
    CProgramHarness.Run(args.Length >= 2 ? args[1] : ".", args.Length >= 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 7, Console.Out);
    return 0;
}

if (args.Contains("--kernel"))
{
    KernelHarness.Run(Console.Out);
    return 0;
}

if (args.Contains("--retrieval"))
{
    RetrievalHarness.Run(Console.Out);
    return 0;
}

if (args.Contains("--notebook"))
{
    NotebookHarness.Run(Console.Out);
    return 0;
}

if (args.Contains("--offline-eval"))
{
    OfflineEvaluation.Run(Console.Out);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args);
return 0;
