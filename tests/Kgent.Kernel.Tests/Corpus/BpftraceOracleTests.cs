using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Corpus;

/// <summary>
/// Differential tests against the real bpftrace 0.17 parser: <c>bpftrace -d</c> prints the AST its parser built
/// (nothing is loaded into the kernel), and our tree, rendered in the same format, must match it line for line.
/// This checks precedence, associativity, literal values and tree shape against the reference implementation.
/// </summary>
public sealed class BpftraceOracleTests
{
    public static IEnumerable<object[]> Snippets() =>
    [
        ["arithmetic", "BEGIN { $a = 1 + 2 * 3 - 4 / 5 % 6; $b = 2 * (3 + 4); $c = 1 - 2 - 3; }"],
        ["shifts and comparisons", "BEGIN { $a = 1 << 2 + 3 < 4 == 5 >> 1; $b = (1 > 2) == (3 < 4) != 5 >= 6; }"],
        ["bitwise and logical", "BEGIN { $a = 1 | 2 ^ 3 & 4; $b = 1 || 2 && 3 | 4; $c = !1 && ~2 || -$a; }"],
        ["ternaries", "BEGIN { $a = 1 ? 2 : 3 ? 4 : 5; $b = 1 == 2 ? 3 + 4 : 5 * 6; $c = (1 ? 2 : 3) + 4; }"],
        ["negative literals", "BEGIN { $a = -1; $b = 1 - -2; $c = - $a; $d = -1 * 2; $e = 0xffffffffffffffff; }"],
        ["literal forms", "BEGIN { @x = 0x10 + 010 + 1_000 + 5e3 + 12ul + 7LL; }"],
        ["strings", "BEGIN { printf(\"a\\tb\\n\\\"q\\\" \\\\ \\x41\\101\\r\"); }"],
        ["casts", "BEGIN { $a = (uint8)1 + (int64*)2; $b = (struct sock *)3; $c = (pid_t)4; $d = *(uint32*)5; $e = (uint16)-1; }"],
        ["field chains", "BEGIN { $t = (struct task_struct *)curtask; $a = $t->mm->arg_start; $b = $t->se.vruntime; $c = (*$t).pid; }"],
        ["tuples", "BEGIN { $t = (1, \"two\", (3, 4)); $a = $t.0; $b = $t.2.1; }"],
        ["maps", "BEGIN { @[comm] = count(); @a[1, \"x\"] = sum(2); @b = @a[1, \"x\"]; @ = 1; delete(@a[1, \"x\"]); }"],
        ["increments and compound assignment", "BEGIN { @n++; --@n; $a = 1; $a++; $a += 2; $a <<= 1; @m[1] |= 4; @m[1]--; }"],
        ["control flow", "BEGIN { $i = 0; if ($i) { exit(); } else if ($i > 1) { $i = 2; } else { return; } unroll(3) { $i++; } }"],
        ["while and the printer's drift", "BEGIN { $i = 0; while ($i < 3) { if ($i == 2) { break; } $i++; continue; } printf(\"%d\\n\", $i); } END { $x = 1; }"],
        ["calls and builtins", "BEGIN { printf(\"%s %d %d\\n\", comm, pid, nsecs); @s[kstack(perf, 3), ustack] = hist(rand); @l = lhist(cpu, 0, 100, 10); time(\"%H\"); }"],
        ["sizeof and positional parameters", "BEGIN { $a = sizeof(struct task_struct) + sizeof(int64) + $1 + $#; }"],
        ["predicates and attach lists", "BEGIN, END /pid == 1 && (tid > 2 || uid / 2 > 3)/ { $a = 1; }"],
        ["attach point spellings", "t:syscalls:sys_enter_openat, k:vfs_read, kr:vfs_read, kprobe:vfs_write+0x10, u:/bin/bash:readline, uprobe:\"/bin/bash\":echo_builtin, i:ms:100, p:hz:99, s:page-faults:1, h:cache-misses:1000 { @[probe] = count(); }"],
    ];

    [BpftraceTheory]
    [MemberData(nameof(Support.Corpus.InstalledTools), MemberType = typeof(Support.Corpus))]
    public void Installed_tool_parses_like_bpftrace(string tool)
    {
        var path = Path.Combine(Support.Corpus.InstalledToolsDirectory, tool);
        var oracle = BpftraceOracle.Dump(path);
        if (oracle.ParserDump is null)
        {
            // bpftrace stopped before printing its parse (runqlat and tcpdrop need kernel headers this host lacks):
            // then its parser must not have been the stage that failed.
            Assert.DoesNotContain("syntax error", oracle.Stderr, StringComparison.Ordinal);
            Assert.False(BpftraceParser.Parse(Support.Corpus.LoadTool(tool)).HasErrors);
            return;
        }

        AssertSameTree(SourceText.FromFile(path), oracle.ParserDump);
    }

    [BpftraceTheory]
    [MemberData(nameof(Snippets))]
    public void Snippet_parses_like_bpftrace(string name, string program)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kgent-oracle-{Guid.NewGuid():N}.bt");
        File.WriteAllText(path, program + "\n");
        try
        {
            var oracle = BpftraceOracle.Dump(path);
            Assert.True(oracle.ParserDump is not null, $"{name}: bpftrace printed no parse:\n{oracle.Stderr}");
            AssertSameTree(new SourceText(program, name), oracle.ParserDump!);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertSameTree(SourceText source, IReadOnlyList<string> theirs)
    {
        var result = BpftraceParser.Parse(source);
        Assert.False(result.HasErrors, RoundTrip.Describe(result));
        var ours = BpftraceDumpFormat.Render(result.Program);
        for (var i = 0; i < Math.Max(ours.Count, theirs.Count); i++)
        {
            var mine = i < ours.Count ? ours[i] : "<end>";
            var reference = i < theirs.Count ? theirs[i] : "<end>";
            Assert.True(BpftraceDumpFormat.LinesMatch(mine, reference),
                $"{source.Path}: first difference at dump line {i + 1}\n  kgent:    '{mine}'\n  bpftrace: '{reference}'\n" +
                "context (bpftrace):\n" + string.Join("\n", theirs.Skip(Math.Max(0, i - 6)).Take(10)));
        }
    }
}
