using System.Collections.Immutable;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Libbpf.Objects;
using Kgent.Kernel.Libbpf.Verify;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>Reading the kernel verifier's log of a C program: the verdict line, and the C line of the rejected instruction.</summary>
public sealed class CVerifierLogTests
{
    [Fact]
    public void A_verdict_glued_to_the_summary_is_split_from_it()
    {
        var log = CVerifierLog.Split("0: R1=ctx() R10=fp0\n2: (85) call bpf_tail_call#12\nexpected prog array map for tail callprocessed 3 insns (limit 1000000) max_states_per_insn 0\n");

        var rejection = VerifierLogReader.Read(log, "tp/sched/sched_process_exec");

        Assert.Equal("expected prog array map for tail call", rejection!.Message);
        Assert.Equal(2, rejection.InstructionIndex);
    }

    [Fact]
    public void The_line_comes_from_the_objects_line_info_for_the_rejected_instruction()
    {
        var program = new BpfProgramSection("tp/x/y", "f", null, [.. Enumerable.Range(0, 6).Select(i => new BpfInstruction(i, 0xb7, 0, 0, 0, 0))],
            [new BpfLineInfo(0, "prog.bpf.c", 7, 5, "a"), new BpfLineInfo(3, "prog.bpf.c", 9, 5, "b"), new BpfLineInfo(5, "prog.bpf.c", 11, 1, "}")]);
        var log = CVerifierLog.Split("; a @ prog.bpf.c:7\n4: (79) r1 = *(u64 *)(r1 +0)\nR1 invalid mem access 'scalar'\n");

        var line = CVerifierLog.RejectedLine(log, VerifierLogReader.Read(log, "tp/x/y"), program, "/tmp/d/prog.bpf.c");

        Assert.Equal(9, line!.Value.Line);
    }

    [Fact]
    public void Without_line_info_the_last_source_comment_before_the_instruction_answers()
    {
        var log = CVerifierLog.Split("; x = 1; @ prog.bpf.c:7\n0: (b7) r1 = 1\n; return p[0]; @ prog.bpf.c:8\n1: (71) r0 = *(u8 *)(r1 +0)\nR1 invalid mem access 'scalar'\n");

        var line = CVerifierLog.RejectedLine(log, VerifierLogReader.Read(log, "p"), null, "prog.bpf.c");

        Assert.Equal((8, "return p[0];"), line!.Value);
    }

    [Fact]
    public void Comments_of_another_file_are_not_the_programs_lines()
    {
        var log = CVerifierLog.Split("; inline helper @ bpf_helpers.h:40\n1: (71) r0 = *(u8 *)(r1 +0)\nR1 invalid mem access 'scalar'\n");

        Assert.Null(CVerifierLog.RejectedLine(log, VerifierLogReader.Read(log, "p"), null, "prog.bpf.c"));
    }

    [Fact]
    public void Statistics_after_the_verdict_are_not_taken_for_it()
    {
        var log = CVerifierLog.Split("1: (71) r0 = *(u8 *)(r1 +0)\nR1 invalid mem access 'scalar'\nverification time 82 usec\nstack depth 0\nprocessed 2 insns (limit 1000000)\n");

        Assert.Equal("R1 invalid mem access 'scalar'", VerifierLogReader.Read(log, "p")!.Message);
    }

    [Fact]
    public void The_failed_program_comes_from_libbpfs_message()
    {
        ImmutableArray<string> lines = ["libbpf: prog 'handle': BPF program load failed: Permission denied", "libbpf: prog 'handle': failed to load: -13"];

        Assert.Equal("handle", CVerifierLog.FailedProgram(lines));
    }
}
