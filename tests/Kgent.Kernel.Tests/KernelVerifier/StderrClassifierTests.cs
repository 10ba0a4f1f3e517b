using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Tests.KernelVerifier;

/// <summary>bpftrace 0.17's error formats, as recorded on this host, map to the right stage and position.</summary>
public sealed class StderrClassifierTests
{
    [Theory]
    [InlineData("e.bt:1:53-59: ERROR: syntax error, unexpected call, expecting }", 1, LoadStage.Parse)]
    [InlineData("e.bt:1:1-37: ERROR: tracepoint not found: syscalls:sys_enter_nosuch", 1, LoadStage.Semantic)]
    [InlineData("e.bt:1:40-62: ERROR: printf: Not enough arguments for format string (1 supplied, 2 expected)", 1, LoadStage.Semantic)]
    [InlineData("definitions.h:2:10: fatal error: 'linux/nosuch.h' file not found", 1, LoadStage.Codegen)]
    [InlineData("error: <unknown>:0:0: in function tracepoint:syscalls:sys_enter_openat i64 (i8*): Looks like the BPF stack limit of 512 bytes is exceeded.", 1, LoadStage.Codegen)]
    [InlineData("ERROR: Failed to compile: Failed to resolve kernel symbol: avenrun", 1, LoadStage.Codegen)]
    [InlineData("ERROR: bpftrace currently only supports running as the root user.", 1, LoadStage.Permission)]
    [InlineData("ERROR: failed to create map: '@opens': Operation not permitted", 1, LoadStage.Permission)]
    [InlineData("ERROR: Error attaching probe: 'kprobe:tcp_connect'", 255, LoadStage.Attach)]
    [InlineData("e.bt:1:1-24: ERROR: uprobe target file '/nonexistent' does not exist or is not executable", 1, LoadStage.Attach)]
    [InlineData("ERROR: Error loading program: tracepoint:syscalls:sys_enter_openat (try -v)", 255, LoadStage.KernelVerifier)]
    public void Error_line_maps_to_its_stage(string line, int exitCode, LoadStage stage) =>
        Assert.Equal(stage, StderrClassifier.Classify([line], exitCode).Stage);

    [Fact]
    public void Position_and_message_are_read_from_the_prefix()
    {
        var (stage, message, position, length) = StderrClassifier.Classify(["e.bt:1:53-59: ERROR: syntax error, unexpected call, expecting }"], 1);

        Assert.Equal(LoadStage.Parse, stage);
        Assert.Equal("syntax error, unexpected call, expecting }", message);
        Assert.Equal(new LinePosition(1, 53), position);
        Assert.Equal(6, length);
        Assert.Equal((new LinePosition(2, 1), (int?)null), StderrClassifier.Position("e.bt:2-3: ERROR: More than one BEGIN probe defined"));
    }

    [Fact]
    public void Verifier_log_gives_the_message_and_the_instruction()
    {
        string[] log =
        [
            "Error log:", "0: R1=ctx() R10=fp0", "0: (05) goto pc-1", "0: (05) goto pc-1", "infinite loop detected at insn 0",
            "cur state: R1=ctx() R10=fp0", "old state: R1=ctx() R10=fp0",
            "processed 9 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0", string.Empty,
            "ERROR: Error loading program: tracepoint:syscalls:sys_enter_openat",
        ];

        var rejection = VerifierLogReader.Read(log, "tracepoint:syscalls:sys_enter_openat")!;

        Assert.Equal("infinite loop detected at insn 0", rejection.Message);
        Assert.Equal("0: (05) goto pc-1", rejection.Instruction);
        Assert.Equal(0, rejection.InstructionIndex);
        Assert.Contains("processed 9 insns", rejection.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_large_program_log_has_no_instruction()
    {
        string[] log =
        [
            "12: (07) r1 += 1", "BPF program is too large. Processed 1000001 insn",
            "processed 1000001 insns (limit 1000000) max_states_per_insn 4 total_states 9742 peak_states 9742 mark_read 0",
            "ERROR: Error: Failed to load program, verification log buffer not big enough",
        ];

        var rejection = VerifierLogReader.Read(log, "p")!;

        Assert.Equal("BPF program is too large. Processed 1000001 insn", rejection.Message);
    }
}
