using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>
/// Differential tests against bpftrace 0.23.2 and 0.27.1, as <see cref="Corpus.BpftraceOracleTests"/> is against 0.17:
/// every tool each release installs in /usr/sbin parses with no error, survives the printer, and agrees with that
/// release's own parse. 0.23 prints its parser's tree, which our tree rendered in its format must match line for line;
/// 0.27 prints the program back as source, which our parser must read to the same tree as the original.
/// </summary>
public sealed class ReleaseToolsOracleTests
{
    public static IEnumerable<object[]> TrixieTools() => ReleaseOracle.Tools("trixie");

    /// <summary>The constructs 0.23 added to 0.17's, each in a program 0.23 parses.</summary>
    public static IEnumerable<object[]> TrixieSnippets() =>
    [
        ["config block", "config = { max_strlen = 128; missing_probes = \"warn\" }\nBEGIN { exit(); }"],
        ["declarations", "BEGIN { let $d = 5; let $e: uint64 = 1; let $f; $f = $d + $e; exit(); }"],
        ["for over a map", "BEGIN { @m[1] = count(); @n[1, 2] = 3; for ($kv : @m) { print($kv.0); } exit(); }"],
        ["newer functions", "BEGIN { @m[1] = 1; if (has_key(@m, 1)) { $t = offsetof(struct task_struct, pid); } exit(); }"],
    ];

    /// <summary>The constructs 0.27 has, each in a program 0.27 parses; its reprint, fully parenthesized, checks precedence.</summary>
    public static IEnumerable<object[]> SidSnippets() =>
    [
        ["precedence", "BEGIN { $a = 1 + 2 * 3 - 4 << 1; $b = 1 || 2 && 3 | 4 ^ 5 & 6; $c = 1 ? 2 : 3 ? 4 : 5; $d = !1 == -2; exit(); }"],
        ["declarations and literals", "BEGIN { let $d: uint64 = 5ms; let $e; $e = true; $f = false || $e; $g = 2s + 3us + 1h; exit(); }"],
        ["records, address-of and call-style builtins", "BEGIN { $a = 1; $r = (name = comm, n = 1); $p = &$a; $f = comm(); $g = pid(); print($r.name); exit(); }"],
        ["for loops, bare conditions", "BEGIN { @m[1, 2] = count(); for ($kv : @m) { print($kv.0); } for $i : 0..3 { if $i { continue; } } $x = 1; if !$x { exit(); } exit(); }"],
        ["config, macros, map declarations", "config = { max_strlen = 128; missing_probes = warn }\nlet @starts = hash(1024);\nmacro add1(x) { x + 1 }\nmacro show(@m) { print(@m); }\nBEGIN { $g = add1(2); @starts[1] = 2; show(@starts); exit(); }"],
        ["newer functions", "BEGIN { @m[1] = 1; if (has_key(@m, 1)) { $t = offsetof(struct task_struct, pid); } $o = getopt(\"depth\", 3); errorf(\"%d\", $o); exit(); }"],
    ];

    public static IEnumerable<object[]> SidTools() => ReleaseOracle.Tools("sid");

    [BpftraceTreeTheory("trixie")]
    [MemberData(nameof(TrixieTools))]
    public void Tool_of_0_23_parses_round_trips_and_matches_its_tree(string tool)
    {
        var source = SourceText.FromFile(ReleaseOracle.ToolPath("trixie", tool));
        RoundTrip.AssertStable(source);
        var oracle = ReleaseOracle.Parse("trixie", tool);
        Assert.True(oracle.Tree is not null, $"bpftrace 0.23 printed no parse for {tool}:\n{oracle.Output}");
        AssertSameTree(source, oracle.Tree!);
    }

    private static void AssertSameTree(SourceText source, IReadOnlyList<string> theirs)
    {
        var parsed = BpftraceParser.Parse(source);
        Assert.False(parsed.HasErrors, RoundTrip.Describe(parsed));
        var ours = BpftraceDumpFormat.Render(parsed.Program, BpftraceDumpFormat.Release.V0_23);
        var tool = source.Path;
        for (var i = 0; i < Math.Max(ours.Count, theirs.Count); i++)
        {
            var mine = i < ours.Count ? ours[i] : "<end>";
            var reference = i < theirs.Count ? theirs[i] : "<end>";
            Assert.True(BpftraceDumpFormat.LinesMatch(mine, reference),
                $"{tool}: first difference at dump line {i + 1}\n  kgent:    '{mine}'\n  bpftrace: '{reference}'\n" +
                "context (bpftrace):\n" + string.Join("\n", theirs.Skip(Math.Max(0, i - 6)).Take(10)) +
                "\ncontext (kgent):\n" + string.Join("\n", ours.Skip(Math.Max(0, i - 6)).Take(10)));
        }
    }

    /// <summary>The release table agrees with the releases: no tool a release ships uses a feature the table dates later.</summary>
    [BpftraceTreeTheory("trixie")]
    [MemberData(nameof(TrixieTools))]
    public void Tool_of_0_23_needs_nothing_newer_than_0_23(string tool) => AssertNothingNewer("trixie", tool, new Version(0, 23, 2));

    [BpftraceTreeTheory("sid")]
    [MemberData(nameof(SidTools))]
    public void Tool_of_0_27_needs_nothing_newer_than_0_27(string tool) => AssertNothingNewer("sid", tool, new Version(0, 27, 1));

    private static void AssertNothingNewer(string suite, string tool, Version release)
    {
        var parse = BpftraceParser.Parse(SourceText.FromFile(ReleaseOracle.ToolPath(suite, tool)));
        var check = Kgent.Kernel.Semantics.SemanticChecker.Check(parse, Catalogs.Snapshot,
            Kgent.Kernel.Semantics.CheckOptions.Default with { TargetVersion = release });
        Assert.Empty(check.Diagnostics.Where(d => d.Code is "KG2701" or "KG2702").Select(d => $"{d.Code}: {d.Message}"));
    }

    [BpftraceTreeTheory("trixie")]
    [MemberData(nameof(TrixieSnippets))]
    public void Snippet_parses_like_0_23(string name, string program)
    {
        var oracle = ReleaseOracle.ParseText("trixie", program);
        Assert.True(oracle.Tree is not null, $"{name}: bpftrace 0.23 printed no parse:\n{oracle.Output}");
        AssertSameTree(new SourceText(program, name), oracle.Tree!);
    }

    [BpftraceTreeTheory("sid")]
    [MemberData(nameof(SidSnippets))]
    public void Snippet_parses_like_0_27(string name, string program)
    {
        var oracle = ReleaseOracle.ParseText("sid", program);
        Assert.True(oracle.Reprinted is not null, $"{name}: bpftrace 0.27 printed no parse:\n{oracle.Output}");
        AssertSameReprint(new SourceText(program, name), oracle.Reprinted!);
    }

    [BpftraceTreeTheory("sid")]
    [MemberData(nameof(SidTools))]
    public void Tool_of_0_27_parses_round_trips_and_matches_its_reprint(string tool)
    {
        var source = SourceText.FromFile(ReleaseOracle.ToolPath("sid", tool));
        RoundTrip.AssertStable(source);
        var oracle = ReleaseOracle.Parse("sid", tool);
        Assert.True(oracle.Reprinted is not null, $"bpftrace 0.27 printed no parse for {tool}:\n{oracle.Output}");
        AssertSameReprint(source, oracle.Reprinted!);
    }

    private static void AssertSameReprint(SourceText source, string reprinted)
    {
        var parsed = BpftraceParser.Parse(source);
        Assert.False(parsed.HasErrors, RoundTrip.Describe(parsed));
        var reprint = BpftraceParser.Parse(new SourceText(reprinted, source.Path + " (as bpftrace 0.27 prints it)"));
        Assert.False(reprint.HasErrors, RoundTrip.Describe(reprint) + "\n--- bpftrace's reprint ---\n" + reprinted);
        var ours = SyntaxTreeDump.Dump(parsed.Program, includeComments: false);
        var theirs = SyntaxTreeDump.Dump(reprint.Program, includeComments: false);
        Assert.Equal(ours, theirs);
    }
}
