using System.Text;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Libbpf.Check;

namespace Kgent.Kernel.Libbpf.Agent;

/// <summary>The prompter for libbpf C: the same sections as for bpftrace (request, host facts, the hooks' facts, examples,
/// every feedback so far, the failed program with its problems under their lines), with C's rules and, for each hook, the
/// section to write and the context struct vmlinux.h gives its record, with its fields.</summary>
public static class CPrompter
{
    public const string Language = "c";

    public static string Boilerplate { get; } = """
        You write libbpf CO-RE programs in C for Linux kernel tracing, built with clang -target bpf against vmlinux.h.
        Rules: #include "vmlinux.h" first, then <bpf/bpf_helpers.h> (and <bpf/bpf_tracing.h>, <bpf/bpf_core_read.h> when used);
        attach with SEC("tp/CATEGORY/EVENT") and take the tracepoint's own record struct as the context (system calls:
        struct trace_event_raw_sys_enter with ctx->args[N], struct trace_event_raw_sys_exit with ctx->ret); prefer
        tracepoints; read user memory with bpf_probe_read_user_str() or bpf_probe_read_user(), kernel memory with
        BPF_CORE_READ() or bpf_probe_read_kernel(); check every bpf_map_lookup_elem() and bpf_ringbuf_reserve() result for
        NULL; initialise structs (= {}); loops must be bounded; stack under 512 bytes; char LICENSE[] SEC("license") = "GPL".
        Never call bpf_send_signal(), bpf_override_return() or bpf_probe_write_user().
        Output: Kgent reads hash and array maps at the end of a run (struct keys split into members); an array map whose
        name contains "hist" is a power-of-two histogram by slot (slot 0 holds 0, slot k the values 2^(k-1)..2^k-1);
        per-event lines go through a BPF_MAP_TYPE_RINGBUF map of a struct event, declared for BTF with
        struct event *unused_event __attribute__((unused)); a record of one char[] (BPF_SNPRINTF) is printed as text.
        Reply with exactly one program in a ```c block and nothing else.
        """;

    /// <param name="hooks">The hooks the request's intent specification names (bpftrace names: tracepoint:C:E), described first.</param>
    public static Prompt Build(string request, IReadOnlyList<ExampleMatch> examples, IReadOnlyList<Feedback> feedback, ProbeCatalog? catalog,
        IEnumerable<string>? hooks = null, Contracts.ContractSet? contracts = null, (int Attempt, string Program)? failed = null) =>
        new(Boilerplate, request, [.. examples], [.. feedback], Prompter.HostFacts(catalog))
        {
            Language = Language,
            HookFacts = HookFacts([.. hooks ?? []], catalog, contracts),
            FailedProgram = failed is { } last ? PromptFacts.FailedProgram(last.Attempt, last.Program, feedback) : null,
        };

    /// <summary>For each tracepoint: its section, its context struct and fields (system calls: which args[N] each is), and
    /// the contracts' notes (written in bpftrace's notation: args-&gt;FIELD is ctx-&gt;FIELD).</summary>
    public static string HookFacts(IReadOnlyList<string> hooks, ProbeCatalog? catalog, Contracts.ContractSet? contracts)
    {
        if (catalog is null || hooks.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder("Hooks for this request, as sections, with the context struct vmlinux.h gives their record on this kernel:\n");
        var header = builder.Length;
        foreach (var hook in hooks.Distinct(StringComparer.Ordinal).Take(PromptFacts.MaxHooks))
        {
            if (hook.Split(':') is not ["tracepoint", var category, var name] || catalog.FindTracepoint(category, name) is not { } format)
            {
                continue;
            }

            var entry = new StringBuilder().Append("- SEC(\"tp/").Append(category).Append('/').Append(name).Append("\"): ");
            var type = CContextStruct.For(format, catalog.Btf);
            entry.Append(type is null ? "void *ctx" : $"struct {type} *ctx");
            if (category == "syscalls" && type == "trace_event_raw_sys_enter")
            {
                entry.Append("; ").AppendJoin(", ", CContextStruct.SyscallArguments(format).Select(a => $"ctx->args[{a.Index}] is {a.CType} {a.Name}"));
            }
            else if (category == "syscalls")
            {
                entry.Append("; ctx->ret is the result");
            }
            else
            {
                entry.Append(" with ").AppendJoin(", ", format.Fields.Where(f => !f.Name.StartsWith("common_", StringComparison.Ordinal))
                    .Select(f => f.IsDataLoc ? $"{f.Name} (__data_loc: the string is at (void *)ctx + (ctx->__data_loc_{f.Name} & 0xFFFF))" : f.Declaration));
            }

            entry.AppendLine();
            foreach (var note in contracts?.Find(hook)?.Notes.Take(3) ?? [])
            {
                entry.Append("  note (args->F is ctx->F): ").Append(note.Subject).Append(": ").AppendLine(note.Text.ReplaceLineEndings(" ").Trim());
            }

            if (builder.Length + entry.Length > PromptFacts.HookBudget)
            {
                break;
            }

            builder.Append(entry);
        }

        return builder.Length == header ? string.Empty : builder.ToString().TrimEnd();
    }
}
