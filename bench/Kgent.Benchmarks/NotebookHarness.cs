using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kgent.Benchmarks;

/// <summary>The notebook's time to first result: from the start of the cell that loads the extension
/// (<c>#r "nuget: Kgent.Extension, 0.1.0"</c>) to the end of the first <c>#!kgent check</c> cell, read from the cell
/// timestamps Jupyter records (nbclient's <c>metadata.execution</c>), in the real .NET Interactive kernel. A first
/// <c>1+1</c> cell starts the kernel so its start-up is reported apart. Cold = Kgent's packages removed from the NuGet
/// cache (restored again from the local feed); warm = already cached.</summary>
public static class NotebookHarness
{
    private const string Program = "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }";

    public static void Run(TextWriter output, int repetitions = 3)
    {
        var root = FindRoot();
        var directory = Path.Combine(Path.GetTempPath(), "kgent-notebook-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var notebook = Path.Combine(directory, "first-check.ipynb");
            File.WriteAllText(notebook, Notebook());
            output.WriteLine($"notebook time to first result, {repetitions} runs each (jupyter nbconvert --execute, .NET Interactive kernel)");
            foreach (var cold in new[] { true, false })
            {
                var rows = new List<(double Kernel, double Load, double Check, double Total)>();
                for (var i = 0; i < repetitions; i++)
                {
                    if (cold)
                    {
                        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
                        foreach (var id in new[] { "kgent.extension", "kgent.notebook", "kgent.kernel" })
                        {
                            var cached = Path.Combine(packages, id);
                            if (Directory.Exists(cached))
                            {
                                Directory.Delete(cached, recursive: true);
                            }
                        }
                    }

                    rows.Add(Execute(root, notebook, Path.Combine(directory, "out")));
                }

                double Median(Func<(double Kernel, double Load, double Check, double Total), double> pick) =>
                    rows.Select(pick).Order().ElementAt(rows.Count / 2);
                output.WriteLine($"{(cold ? "cold package cache" : "warm package cache"),-20}: #r to first check result {Median(r => r.Total):F2} s " +
                    $"(load {Median(r => r.Load):F2} s, check cell {Median(r => r.Check):F2} s); kernel start to first cell {Median(r => r.Kernel):F2} s; medians of {rows.Count}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        FirstResult(root, output, Math.Max(repetitions, 5));
    }

    /// <summary>Kernel start to the first <c>#!kgent</c> result, measured by a Jupyter client (bench/scripts/first-result.py):
    /// from starting the kernel process to the check cell's result, in the .NET Interactive kernel (the extension's package
    /// already cached) and in Kgent's native kernel, alternating, side by side.</summary>
    private static void FirstResult(string root, TextWriter output, int runs)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(root, "bench", "scripts", "first-result.py"));
        start.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        start.Environment["JUPYTER_PATH"] = Path.Combine(root, ".kgent", "jupyter");
        using var process = Process.Start(start)!;
        var log = process.StandardError.ReadToEndAsync();
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0 || lines.Length == 0 || !lines[^1].StartsWith('{'))
        {
            throw new InvalidOperationException("first-result.py failed: " + log.Result);
        }

        var figures = JsonNode.Parse(lines[^1])!;
        double Figure(string kernel, string name) => figures[kernel]![name]!.GetValue<double>();
        output.WriteLine($"kernel start to first #!kgent result, medians of {runs} alternating runs (jupyter_client); the target: under 3 s");
        output.WriteLine($"  .NET Interactive kernel (.net-csharp): {Figure(".net-csharp", "total"):F2} s (kernel ready {Figure(".net-csharp", "kernel_ready"):F2} s, " +
            $"#r {Figure(".net-csharp", "load"):F2} s, check cell {Figure(".net-csharp", "check"):F2} s)");
        output.WriteLine($"  Kgent's native kernel (kgent):          {Figure("kgent", "total"):F2} s (kernel ready {Figure("kgent", "kernel_ready"):F2} s, " +
            $"nothing to load, check cell {Figure("kgent", "check"):F2} s)");
    }

    private static (double Kernel, double Load, double Check, double Total) Execute(string root, string notebook, string outDirectory)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "scripts", "notebooks.sh")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--out", outDirectory, notebook })
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var log = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("the notebook failed: " + log.Result);
        }

        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, Path.GetFileName(notebook))))!["cells"]!.AsArray();
        DateTimeOffset Time(int cell, string key) =>
            DateTimeOffset.Parse(cells[cell]!["metadata"]!["execution"]![key]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var load = (Time(1, "shell.execute_reply") - Time(1, "iopub.execute_input")).TotalSeconds;
        var check = (Time(2, "shell.execute_reply") - Time(2, "iopub.execute_input")).TotalSeconds;
        var total = (Time(2, "shell.execute_reply") - Time(1, "iopub.execute_input")).TotalSeconds;
        var firstCell = (Time(0, "shell.execute_reply") - Time(0, "iopub.execute_input")).TotalSeconds;
        var html = cells[2]!["outputs"]!.AsArray().Select(o => o?["data"]?["text/html"]?.ToJsonString() ?? string.Empty);
        if (!html.Any(h => h.Contains("kgent-check", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("the #!kgent check cell produced no check result");
        }

        // Kernel start-up: the whole run's wall time minus the cells' own time, less nbconvert's own start (not separable;
        // reported as an upper bound).
        return (wall - total - firstCell, load, check, total);
    }

    private static string Notebook()
    {
        JsonObject Cell(string source) => new()
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = Guid.NewGuid().ToString("N")[..8],
            ["metadata"] = new JsonObject(),
            ["outputs"] = new JsonArray(),
            ["source"] = source,
        };
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(Cell("1+1"), Cell("#r \"nuget: Kgent.Extension, 0.1.0\""), Cell("#!kgent check\n\n" + Program)),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kgent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find Kgent.sln above " + AppContext.BaseDirectory);
    }
}
