using Kgent.Kernel.Libbpf.Check;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Tests.Libbpf;

public sealed class ProgramSectionTests
{
    [Theory]
    [InlineData("tp/syscalls/sys_enter_openat", ProbeType.Tracepoint, "syscalls", "sys_enter_openat")]
    [InlineData("tracepoint/sched/sched_switch", ProbeType.Tracepoint, "sched", "sched_switch")]
    [InlineData("raw_tp/sched_switch", ProbeType.RawTracepoint, null, "sched_switch")]
    [InlineData("raw_tracepoint/sys_enter", ProbeType.RawTracepoint, null, "sys_enter")]
    [InlineData("kprobe/do_unlinkat", ProbeType.Kprobe, null, "do_unlinkat")]
    [InlineData("kretprobe/vfs_read+0x10", ProbeType.Kretprobe, null, "vfs_read")]
    [InlineData("fentry/tcp_connect", ProbeType.Kfunc, null, "tcp_connect")]
    [InlineData("tracepont/syscalls/sys_enter_openat", ProbeType.Unknown, null, "syscalls/sys_enter_openat")]
    public void Parses_libbpf_section_names(string name, ProbeType type, string? category, string target)
    {
        var section = ProgramSection.Parse(name);

        Assert.Equal(type, section.Type);
        Assert.Equal(category, section.Category);
        Assert.Equal(target, section.Target);
    }

    [Fact]
    public void Tracepoint_without_its_category_has_none()
    {
        var section = ProgramSection.Parse("tp/sys_enter_openat");

        Assert.Equal(ProbeType.Tracepoint, section.Type);
        Assert.Null(section.Category);
    }
}
