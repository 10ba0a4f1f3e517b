using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Porting;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Versions;

/// <summary><c>kgent fmt --to VERSION</c>: a program in the 0.27 dialect ports down to 0.17 where the meaning is
/// unchanged, and bookworm's real bpftrace reads the result; what has no same-meaning spelling is kept and named.</summary>
public sealed class DialectPorterTests : IDisposable
{
    private const string Newer = """
        tracepoint:syscalls:sys_enter_openat
        /comm != "kgent"/
        {
          let $p = str(args.filename);
          let $n: uint8 = 300;
          let $seen;
          $seen = true;
          if $seen { @opens[comm] = count(); }
          @t[tid] = nsecs + 5ms + pid();
          delete(@t, tid);
        }

        """;

    private readonly string directory = Directory.CreateTempSubdirectory("kgent-port-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_newer_program_ports_to_0_17_with_every_rewrite_named()
    {
        var port = DialectPorter.Port(BpftraceParser.Parse(Newer, "newer.bt"), new Version(0, 17, 0));

        Assert.True(port.IsComplete, string.Join("; ", port.Unported.Select(d => d.Message)));
        Assert.Equal("""
            tracepoint:syscalls:sys_enter_openat
            /comm != "kgent"/
            {
              $p = str(args->filename);
              $n = (uint8)300;

              $seen = 1;
              if ($seen) {
                @opens[comm] = count();
              }
              @t[tid] = nsecs + 5000000 + pid;
              delete(@t[tid]);
            }

            """, port.Text);
        Assert.Equal(9, port.Rewrites.Length);
        Assert.Contains(port.Rewrites, r => r.Line == 6 && r.From == "let $seen;" && r.To == "(dropped)");
        Assert.Contains(port.Rewrites, r => r.Line == 9 && r.From == "5ms" && r.To == "5000000");
    }

    [Fact]
    public void Porting_back_up_prefers_args_dot_and_changes_nothing_else()
    {
        var down = DialectPorter.Port(BpftraceParser.Parse(Newer, "newer.bt"), new Version(0, 17, 0));
        var up = DialectPorter.Port(down.Ported, new Version(0, 27, 1));

        Assert.True(up.IsComplete);
        var rewrite = Assert.Single(up.Rewrites);
        Assert.Equal(("args->filename", "args.filename"), (rewrite.From, rewrite.To));
        Assert.Equal(down.Text.Replace("args->filename", "args.filename", StringComparison.Ordinal), up.Text);
    }

    [Fact]
    public void What_has_no_spelling_in_the_target_is_kept_and_named_with_its_release()
    {
        const string Loop = "config = { max_strlen = 64 }\nBEGIN { @m[1] = 2; for ($kv : @m) { print($kv.0); } $r = (a = 1, b = 2); exit(); }\n";
        var port = DialectPorter.Port(BpftraceParser.Parse(Loop, "loop.bt"), new Version(0, 17, 0));

        Assert.False(port.IsComplete);
        Assert.Equal(
            ["`config = { … }` needs bpftrace 0.20", "`for ($kv : @map)` needs bpftrace 0.21", "`(name = …)` needs bpftrace 0.25"],
            port.Unported.Select(d => d.Message[..d.Message.IndexOf(',', StringComparison.Ordinal)]).ToArray());
        Assert.Contains("for ($kv : @m)", port.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_prints_the_port_and_exits_by_completeness()
    {
        var newer = Path.Combine(directory, "newer.bt");
        File.WriteAllText(newer, Newer);
        var (code, output, error) = CliHarness.Run("fmt", "--to", "0.17", newer);
        Assert.Equal(0, code);
        Assert.Contains("$p = str(args->filename);", output, StringComparison.Ordinal);
        Assert.Contains("kgent: ported to bpftrace 0.17: 9 rewrites", error, StringComparison.Ordinal);

        var loop = Path.Combine(directory, "loop.bt");
        File.WriteAllText(loop, "BEGIN { @m[1] = 2; for ($kv : @m) { print($kv.0); } exit(); }\n");
        var (unported, _, why) = CliHarness.Run("fmt", "--to", "0.17", "--write", loop);
        Assert.Equal(1, unported);
        Assert.Contains("cannot port 1 construct to bpftrace 0.17", why, StringComparison.Ordinal);
        Assert.Contains("error KG2701", why, StringComparison.Ordinal);
        Assert.Equal("BEGIN { @m[1] = 2; for ($kv : @m) { print($kv.0); } exit(); }\n", File.ReadAllText(loop));

        var (bad, _, badError) = CliHarness.Run("fmt", "--to", "0.9", newer);
        Assert.Equal(2, bad);
        Assert.Contains("not a bpftrace release Kgent knows", badError, StringComparison.Ordinal);
    }

    private const string Exec = "tracepoint:sched:sched_process_exec /args->pid > 1/ { printf(\"%d %s %d\\n\", args->pid, str(args->filename), args->old_pid); }\n";

    [Fact]
    public void On_0_23_a_probe_reading_a_data_loc_field_becomes_the_raw_tracepoint_of_the_same_event()
    {
        var port = DialectPorter.Port(BpftraceParser.Parse(Exec, "exec.bt"), new Version(0, 23, 2), Catalogs.Snapshot);

        Assert.True(port.IsComplete, string.Join("; ", port.Unported.Select(d => d.Message)));
        Assert.Equal("""
            rawtracepoint:sched_process_exec
            /((struct task_struct *)arg0)->pid > 1/
            {
              printf("%d %s %d\n", ((struct task_struct *)arg0)->pid, str(((struct linux_binprm *)arg2)->filename), (int32)arg1);
            }

            """, port.Text);
        var attach = port.Rewrites[0];
        Assert.Equal(("tracepoint:sched:sched_process_exec", "rawtracepoint:sched_process_exec"), (attach.From, attach.To));
        Assert.Contains("struct linux_binprm *bprm", attach.Why, StringComparison.Ordinal);
        Assert.Contains(port.Rewrites, r => r.From == "str(args->filename)" && r.To == "str(((struct linux_binprm *)arg2)->filename)");

        // The release that fixed the bug, and one without it, keep the tracepoint.
        foreach (var release in new[] { new Version(0, 24, 0), new Version(0, 27, 1), new Version(0, 22, 0) })
        {
            var other = DialectPorter.Port(BpftraceParser.Parse(Exec, "exec.bt"), release, Catalogs.Snapshot);
            Assert.True(other.IsComplete);
            Assert.StartsWith("tracepoint:sched:sched_process_exec", other.Text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("tracepoint:sched:sched_process_exec { @[args->filename] = count(); }\n", "a __data_loc field read other than through str()")]
    [InlineData("tracepoint:sched:sched_process_exec { @[str(args->filename, 8)] = count(); }\n", "str() with a length")]
    [InlineData("tracepoint:sched:sched_process_exec, tracepoint:net:net_dev_xmit { @[str(args->filename)] = count(); }\n", "two attach points")]
    [InlineData("tracepoint:sched:sched_process_exec { @[str(args->filename)] = count(); print(args); }\n", "args as a whole")]
    public void On_0_23_a_probe_the_table_cannot_read_keeps_its_tracepoint_and_the_bug_is_reported(string program, string why)
    {
        var port = DialectPorter.Port(BpftraceParser.Parse(program, "exec.bt"), new Version(0, 23, 2), Catalogs.Snapshot);

        Assert.True(port.Text.StartsWith("tracepoint:sched:sched_process_exec", StringComparison.Ordinal), why + "\n" + port.Text);
        Assert.DoesNotContain(port.Rewrites, r => r.To.StartsWith("rawtracepoint", StringComparison.Ordinal));
        Assert.DoesNotContain("arg2", port.Text, StringComparison.Ordinal);
        var bug = Assert.Single(port.Unported, d => d.Code == "KG2704");
        Assert.Contains("rawtracepoint:sched_process_exec", bug.Hint, StringComparison.Ordinal);
    }

    /// <summary>bpftrace 0.17 itself reads every port that says it is complete: each 0.27.1 tool ported down.</summary>
    [BpftraceTheory]
    [MemberData(nameof(ReleaseToolsOracleTests.SidTools), MemberType = typeof(ReleaseToolsOracleTests))]
    public void A_complete_port_of_a_0_27_tool_parses_in_bpftrace_0_17(string tool)
    {
        if (BpftraceTrees.Missing("sid") is not null)
        {
            return; // no tools to port; the theory's single row says so
        }

        var port = DialectPorter.Port(BpftraceParser.Parse(Bpftrace.Text.SourceText.FromFile(ReleaseOracle.ToolPath("sid", tool))), new Version(0, 17, 0));
        Assert.False(port.Ported.HasErrors, RoundTrip.Describe(port.Ported));
        if (!port.IsComplete)
        {
            Assert.All(port.Unported.Where(d => d.IsError), d => Assert.StartsWith("KG27", d.Code, StringComparison.Ordinal));
            return;
        }

        var path = Path.Combine(directory, tool);
        File.WriteAllText(path, port.Text);
        var oracle = BpftraceOracle.Dump(path);
        Assert.DoesNotContain("syntax error", oracle.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", oracle.Stderr, StringComparison.Ordinal);
    }
}
