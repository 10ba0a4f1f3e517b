using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Kgent.Kernel.Tests.Semantics;

/// <summary>The installed tools against bpftrace itself: a tool bpftrace loads (every probe attached) must get no
/// error from the checker; a tool bpftrace rejects must get a diagnostic naming the same cause.</summary>
public sealed class InstalledToolsCheckTests(ITestOutputHelper output)
{
    [BpftraceTheory]
    [MemberData(nameof(Support.Corpus.InstalledTools), MemberType = typeof(Support.Corpus))]
    public void Checker_agrees_with_bpftrace_on_installed_tool(string tool)
    {
        var source = Support.Corpus.LoadTool(tool);
        var verdict = BpftraceLoadOnly.Run(source.Text);
        var result = SemanticChecker.Check(source.Text, tool, Catalogs.Live);
        var ours = result.Diagnostics.Select(d => $"{d.Code} {d.Message}").ToList();
        output.WriteLine($"bpftrace: {(verdict.Accepted ? "accepted" : "rejected")} ({verdict.Reason})");
        output.WriteLine("kgent: " + (ours.Count == 0 ? "(no diagnostics)" : string.Join("\n       ", ours)));

        if (verdict.Accepted)
        {
            Assert.False(result.HasErrors, $"bpftrace loads {tool} but kgent reports:\n{string.Join('\n', ours)}");
            return;
        }

        var cause = ExpectedCause(verdict.Stderr);
        Assert.True(cause is not null, $"unclassified bpftrace rejection of {tool}:\n{verdict.Stderr}");
        Assert.True(result.Diagnostics.Any(d => cause.Value.Code.Split('|').Contains(d.Code) && (cause.Value.Mentions is null || d.Message.Contains(cause.Value.Mentions, StringComparison.Ordinal))),
            $"bpftrace rejects {tool} because of {cause.Value.Code} ({cause.Value.Mentions}), kgent reports:\n{string.Join('\n', ours)}");
    }

    /// <summary>Maps bpftrace's rejection message to the diagnostic that names the same cause.</summary>
    private static (string Code, string? Mentions)? ExpectedCause(string stderr)
    {
        if (stderr.Contains("Error attaching probe: 'kprobe", StringComparison.Ordinal) || stderr.Contains("Error attaching probe: 'kretprobe", StringComparison.Ordinal)
            || stderr.Contains("could not attach probe kprobe", StringComparison.Ordinal) || stderr.Contains("could not attach probe kretprobe", StringComparison.Ordinal)
            || stderr.Contains("available_filter_functions", StringComparison.Ordinal))
        {
            return (SemanticDiagnostics.ProbeTypeUnavailable.Code, "kprobe");
        }

        var notFound = System.Text.RegularExpressions.Regex.Match(stderr, "fatal error: '([^']+)' file not found");
        if (notFound.Success)
        {
            // Either the include is active (KG2601) or bpftrace fell back to an #ifndef BPFTRACE_HAVE_BTF branch (KG2603).
            return ($"{SemanticDiagnostics.HeaderNotFound.Code}|{SemanticDiagnostics.FallbackHeaderMissing.Code}", notFound.Groups[1].Value);
        }

        var unknownType = System.Text.RegularExpressions.Regex.Match(stderr, "error: unknown type name '([^']+)'");
        if (unknownType.Success)
        {
            return (SemanticDiagnostics.HeaderUnusableWithBtf.Code, unknownType.Groups[1].Value);
        }

        var symbol = System.Text.RegularExpressions.Regex.Match(stderr, "Failed to resolve kernel symbol: (\\w+)");
        if (symbol.Success)
        {
            return (SemanticDiagnostics.KernelSymbolMissing.Code, symbol.Groups[1].Value);
        }

        var field = System.Text.RegularExpressions.Regex.Match(stderr, "does not contain a field named '([^']+)'");
        if (field.Success)
        {
            return (SemanticDiagnostics.UnknownField.Code, field.Groups[1].Value);
        }

        return null;
    }
}
