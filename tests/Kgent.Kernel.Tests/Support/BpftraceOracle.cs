using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.Tests.Support;

/// <summary>Runs the real <c>bpftrace -d</c> (parse and analyse only, nothing is loaded into the kernel) and
/// extracts the AST it prints after its parser pass, types stripped.</summary>
public static partial class BpftraceOracle
{
    public sealed record Outcome(IReadOnlyList<string>? ParserDump, string Stderr);

    public static Outcome Dump(string programPath)
    {
        var start = new ProcessStartInfo(Host.BpftracePath!, ["-d", programPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bpftrace -d {programPath} did not finish in 60 s");
        }

        var stdout = stdoutTask.Result.Split('\n');
        var stderr = stderrTask.Result;
        var header = Array.IndexOf(stdout, "AST after: parser");
        if (header < 0)
        {
            return new Outcome(null, stderr);
        }

        var programLine = Array.IndexOf(stdout, "Program", header);
        var dump = new List<string>();
        for (var i = programLine; i >= 0 && i < stdout.Length && stdout[i].Length > 0; i++)
        {
            dump.Add(TypeSuffix().Replace(stdout[i], string.Empty));
        }

        return new Outcome(dump, stderr);
    }

    [GeneratedRegex(@" :: type\[.*\]$")]
    private static partial Regex TypeSuffix();
}
