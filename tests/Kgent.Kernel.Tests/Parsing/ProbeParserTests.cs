using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Parsing;

public sealed class ProbeParserTests
{
    [Theory]
    [InlineData("BEGIN", ProbeType.Begin, "BEGIN")]
    [InlineData("END", ProbeType.End, "END")]
    [InlineData("kprobe:vfs_read", ProbeType.Kprobe, "kprobe:vfs_read")]
    [InlineData("kr:vfs_read", ProbeType.Kretprobe, "kretprobe:vfs_read")]
    [InlineData("kprobe:tcp_v4_connect+0x10", ProbeType.Kprobe, "kprobe:tcp_v4_connect+0x10")]
    [InlineData("uprobe:/bin/bash:readline", ProbeType.Uprobe, "uprobe:/bin/bash:readline")]
    [InlineData("ur:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc", ProbeType.Uretprobe, "uretprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc")]
    [InlineData("uprobe:\"/opt/my app/bin\":main", ProbeType.Uprobe, "uprobe:\"/opt/my app/bin\":main")]
    [InlineData("t:syscalls:sys_enter_openat", ProbeType.Tracepoint, "tracepoint:syscalls:sys_enter_openat")]
    [InlineData("rawtracepoint:sched_switch", ProbeType.RawTracepoint, "rawtracepoint:sched_switch")]
    [InlineData("kfunc:tcp_connect", ProbeType.Kfunc, "kfunc:tcp_connect")]
    [InlineData("fr:vfs_read", ProbeType.Kretfunc, "kretfunc:vfs_read")]
    [InlineData("usdt:/usr/bin/python3:python:function__entry", ProbeType.Usdt, "usdt:/usr/bin/python3:python:function__entry")]
    [InlineData("profile:hz:99", ProbeType.Profile, "profile:hz:99")]
    [InlineData("i:s:1", ProbeType.Interval, "interval:s:1")]
    [InlineData("software:page-faults:100", ProbeType.Software, "software:page-faults:100")]
    [InlineData("hardware:cache-misses:1000000", ProbeType.Hardware, "hardware:cache-misses:1000000")]
    [InlineData("watchpoint:0x10000000:8:rw", ProbeType.Watchpoint, "watchpoint:0x10000000:8:rw")]
    public void Every_probe_type_and_alias(string text, ProbeType type, string canonical)
    {
        var attachPoint = Parse.Probe(text + " { }").AttachPoints.Single();

        Assert.Equal(type, attachPoint.Type);
        Assert.Equal(canonical, attachPoint.CanonicalText);
    }

    [Fact]
    public void Several_attach_points_across_lines_with_wildcards()
    {
        var probe = Parse.Probe("tracepoint:syscalls:sys_enter_*,\n  kprobe:vfs_*,\n  uprobe:/bin/bash:*\n{ @[probe] = count(); }");

        Assert.Equal(["tracepoint:syscalls:sys_enter_*", "kprobe:vfs_*", "uprobe:/bin/bash:*"], probe.AttachPoints.Select(a => a.CanonicalText));
        Assert.All(probe.AttachPoints, a => Assert.True(a.HasWildcard));
    }

    [Fact]
    public void Predicate_between_attach_point_and_body()
    {
        var probe = Parse.Probe("tracepoint:syscalls:sys_enter_openat /comm == \"bash\" && pid != 1/ { }");
        Assert.NotNull(probe.Predicate);
        Assert.Empty(probe.Body.Statements);
    }

    [Fact]
    public void Division_inside_a_predicate_is_not_its_end()
    {
        var probe = Parse.Probe("kprobe:f /arg0 / 2 > 1/ { }");
        Assert.Equal("(binary > (binary / (builtin arg0) (int 2)) (int 1))",
            Parse.Flatten(Bpftrace.Printing.SyntaxTreeDump.Dump(probe.Predicate!)));
    }

    [Fact]
    public void Path_after_colon_may_hold_slashes_but_a_predicate_may_follow_directly()
    {
        var probe = Parse.Probe("uprobe:/bin/bash:readline/pid == 1/{ }");
        Assert.Equal("uprobe:/bin/bash:readline", probe.AttachPoints.Single().CanonicalText);
        Assert.NotNull(probe.Predicate);
    }

    [Fact]
    public void Preprocessor_lines_and_struct_definitions_are_kept_in_order()
    {
        var program = Parse.Program("#!/usr/bin/env bpftrace\n#include <linux/sched.h>\n#define N 4\nstruct cfs_rq {\n  struct load_weight load;\n  unsigned int nr_running;\n};\nBEGIN { }");

        Assert.Collection(program.Items,
            item => Assert.True(Assert.IsType<PreprocessorDirective>(item).IsShebang),
            item => Assert.Equal("#include <linux/sched.h>", Assert.IsType<PreprocessorDirective>(item).Text),
            item => Assert.Equal("#define N 4", Assert.IsType<PreprocessorDirective>(item).Text),
            item => Assert.StartsWith("struct cfs_rq {", Assert.IsType<CDefinition>(item).Text, StringComparison.Ordinal),
            item => Assert.IsType<Probe>(item));
        Assert.EndsWith("};", ((CDefinition)program.Items[3]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_of_both_kinds_are_collected_with_spans()
    {
        const string text = "/* header */\nBEGIN { // start\n  $a = 1; /* inline */ }";
        var program = Parse.Program(text);

        Assert.Equal(["/* header */", "// start", "/* inline */"], program.Comments.Select(c => c.Text));
        Assert.All(program.Comments, c => Assert.Equal(c.Text, text.Substring(c.Span.Start, c.Span.Length)));
    }
}
