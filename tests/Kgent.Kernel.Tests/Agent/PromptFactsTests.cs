using Kgent.Kernel.Agent;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Agent;

/// <summary>The facts a prompt carries: the hooks' fields and contract notes, within budget, and on a retry the failed
/// program with each diagnostic under its line.</summary>
public sealed class PromptFactsTests
{
    [Fact]
    public void The_prompt_gives_the_hooks_fields_with_c_types_and_their_contract_notes()
    {
        var prompt = Prompter.Build("trace TCP connects with ports", [], [], Catalogs.Snapshot, specHooks: ["tracepoint:sock:inet_sock_set_state", "tracepoint:syscalls:sys_enter_openat"],
            contracts: SymbolicCases.Contracts);

        Assert.Contains("- tracepoint:syscalls:sys_enter_openat: int __syscall_nr, int dfd, const char * filename, int flags, umode_t mode", prompt.HookFacts, StringComparison.Ordinal);
        Assert.Contains("- tracepoint:sock:inet_sock_set_state: ", prompt.HookFacts, StringComparison.Ordinal);
        Assert.Contains("  note: ", prompt.HookFacts, StringComparison.Ordinal);
        Assert.Contains(prompt.HookFacts, prompt.UserMessage, StringComparison.Ordinal);
        Assert.True(prompt.HookFacts.Length <= PromptFacts.HookBudget);
        Assert.Equal((prompt.Characters + 3) / 4, prompt.EstimatedTokens);
    }

    [Fact]
    public void Hooks_past_the_budget_and_hooks_this_kernel_lacks_are_left_out()
    {
        var many = Catalogs.Snapshot.TracepointNames.Where(n => n.StartsWith("syscalls:sys_enter_", StringComparison.Ordinal)).Take(40).Select(n => "tracepoint:" + n).ToList();
        var facts = PromptFacts.Hooks(["tracepoint:nope:nothing", .. many], Catalogs.Snapshot, null);

        Assert.DoesNotContain("nope", facts, StringComparison.Ordinal);
        Assert.True(facts.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)) <= PromptFacts.MaxHooks);
        Assert.True(facts.Length <= PromptFacts.HookBudget);
        Assert.Equal(string.Empty, PromptFacts.Hooks(["tracepoint:nope:nothing"], Catalogs.Snapshot, null));
    }

    [Fact]
    public void A_kprobe_is_described_only_on_a_host_that_can_attach_kprobes()
    {
        var facts = PromptFacts.Hooks(["kprobe:vfs_read", "tracepoint:syscalls:sys_enter_read"], Catalogs.Snapshot, null);

        Assert.Contains("- tracepoint:syscalls:sys_enter_read: ", facts, StringComparison.Ordinal);
        Assert.Equal(Catalogs.Snapshot.Host.CanAttach(Kgent.Kernel.Probes.ProbeType.Kprobe), facts.Contains("- kprobe:vfs_read: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_program_is_shown_numbered_with_each_problem_under_its_line()
    {
        var feedback = new Feedback(1, "semantic check", "tracepoint syscalls:sys_enter_openat has no field 'filenam'", 2, "did you mean 'args->filename'?")
        {
            Code = "KG2201",
            Column = 26,
        };

        var text = PromptFacts.FailedProgram(1, "tracepoint:syscalls:sys_enter_openat {\n  printf(\"%s\\n\", str(args->filenam));\n}\n", [feedback]);

        Assert.Equal(
            "The program of attempt 1, with each problem under its line:\n```text\n" +
            "1 | tracepoint:syscalls:sys_enter_openat {\n" +
            "2 |   printf(\"%s\\n\", str(args->filenam));\n" +
            "  |                          ^ error KG2201: tracepoint syscalls:sys_enter_openat has no field 'filenam' (hint: did you mean 'args->filename'?)\n" +
            "3 | }\n```",
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_retry_prompt_carries_the_failed_program_with_its_diagnostics()
    {
        var model = new ScriptedChatClient(
            "```bpftrace\ntracepoint:syscalls:sys_enter_openat {\n  printf(\"%s\\n\", str(args->filenam));\n}\n```",
            "```bpftrace\ntracepoint:syscalls:sys_enter_openat {\n  printf(\"%s\\n\", str(args->filename));\n}\n```");
        var loop = new SynthesisLoop(model, new SynthesisOptions(Catalog: Catalogs.Snapshot, Annotate: false, VerifyInKernel: false, ModelName: "scripted") { Repair = false });

        var result = Assert.IsType<SynthesisResult.Succeeded>(await loop.RunAsync("print the files being opened"));

        Assert.Equal(2, result.Attempts.Length);
        Assert.Null(result.Attempts[0].Prompt.FailedProgram);
        var retry = model.UserMessage(1);
        Assert.Contains("The program of attempt 1, with each problem under its line:", retry, StringComparison.Ordinal);
        // The caret stands under the misspelt field (column 28 of line 2).
        Assert.Contains("2 |   printf(\"%s\\n\", str(args->filenam));\n  | " + new string(' ', 27) + "^ error KG2201:", retry.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        // No example was retrieved: the hooks come from the offline reader's specification of the request.
        Assert.Contains("- tracepoint:syscalls:sys_enter_openat: int __syscall_nr, int dfd, const char * filename", result.Attempts[0].Prompt.HookFacts, StringComparison.Ordinal);
        Assert.Contains(result.Attempts[0].Prompt.HookFacts, model.UserMessage(0), StringComparison.Ordinal);
    }
}
