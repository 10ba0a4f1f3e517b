using System.Text;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Agent;

/// <summary>
/// The kernel's facts a prompt carries, within a stated budget: for the hooks the request's intent specification and the
/// retrieved examples point at, each tracepoint's fields with their C types (a kernel function's parameters), and the
/// contract notes on them; and on a retry, the program that failed, numbered, with each diagnostic under its line as a
/// compiler prints it. So the model writes against this kernel instead of from memory, and repairs with the program and
/// the errors in front of it.
/// </summary>
public static class PromptFacts
{
    /// <summary>The most hooks described.</summary>
    public const int MaxHooks = 6;

    /// <summary>The most characters the hook facts take (about 700 tokens); hooks past it are left out.</summary>
    public const int HookBudget = 2800;

    /// <summary>The most lines of a failed program repeated (a longer one is cut, and the prompt says so).</summary>
    public const int MaxProgramLines = 80;

    /// <summary>The hooks first named by <paramref name="specHooks"/> (the request's own), then by the examples, that exist here.</summary>
    public static IReadOnlyList<string> HooksFor(IEnumerable<string> specHooks, IEnumerable<ExampleMatch> examples)
    {
        var fromExamples = examples.SelectMany(e =>
        {
            var parse = BpftraceParser.Parse(e.Example.Program, "example.bt");
            return parse.HasErrors ? [] : parse.Program.Probes.SelectMany(p => p.AttachPoints).Select(a => a.CanonicalText);
        });
        return [.. specHooks.Concat(fromExamples).Where(h => h.StartsWith("tracepoint:", StringComparison.Ordinal) || h.StartsWith("kprobe:", StringComparison.Ordinal)
            || h.StartsWith("kfunc:", StringComparison.Ordinal) || h.StartsWith("rawtracepoint:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>"Hooks for this request …" with each hook's fields and contract notes, or an empty string.</summary>
    public static string Hooks(IReadOnlyList<string> hooks, ProbeCatalog? catalog, ContractSet? contracts)
    {
        if (catalog is null || hooks.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder("Hooks for this request, with their fields on this kernel (C types) and what Kgent's contracts note:\n");
        var header = builder.Length;
        var described = 0;
        foreach (var hook in hooks)
        {
            if (described == MaxHooks)
            {
                break;
            }

            // A hook this host cannot attach (a kprobe where kprobes are off) is no fact for this request; reading its
            // parameters would also load the whole BTF for nothing.
            if (hook.Split(':')[0] is "kprobe" or "kfunc" && !catalog.Host.CanAttach(hook.StartsWith("kprobe:", StringComparison.Ordinal) ? ProbeType.Kprobe : ProbeType.Kfunc)
                || Fields(hook, catalog) is not { } fields)
            {
                continue;
            }

            var entry = new StringBuilder().Append("- ").Append(hook).Append(": ").AppendLine(fields.Count == 0 ? "(no fields)" : string.Join(", ", fields));
            foreach (var note in contracts?.Find(hook)?.Notes.Take(3) ?? [])
            {
                entry.Append("  note: ").Append(note.Subject).Append(": ").AppendLine(note.Text.ReplaceLineEndings(" ").Trim());
            }

            if (builder.Length + entry.Length > HookBudget)
            {
                break;
            }

            builder.Append(entry);
            described++;
        }

        return builder.Length == header ? string.Empty : builder.ToString().TrimEnd();
    }

    /// <summary>The program of attempt <paramref name="attempt"/>, numbered, each diagnostic under its line with a caret.</summary>
    public static string FailedProgram(int attempt, string program, IEnumerable<Feedback> feedback)
    {
        var lines = program.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var byLine = feedback.Where(f => f.Attempt == attempt && f.Line is not null).GroupBy(f => f.Line!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var width = lines.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var builder = new StringBuilder($"The program of attempt {attempt}, with each problem under its line:\n```text\n");
        foreach (var (text, index) in lines.Take(MaxProgramLines).Select((t, i) => (t, i + 1)))
        {
            builder.Append(index.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)).Append(" | ").AppendLine(text);
            foreach (var item in byLine.GetValueOrDefault(index) ?? [])
            {
                var caret = new string(' ', Math.Max(0, (item.Column ?? 1) - 1)) + "^";
                builder.Append(new string(' ', width)).Append(" | ").Append(caret).Append(' ').Append(item.Code is { } code ? $"error {code}: " : "error: ")
                    .Append(item.Message.ReplaceLineEndings(" ").TrimEnd('.'))
                    .AppendLine(item.Hint is { Length: > 0 } hint ? $" (hint: {hint.ReplaceLineEndings(" ").TrimEnd('.')})" : string.Empty);
            }
        }

        if (lines.Length > MaxProgramLines)
        {
            builder.AppendLine($"… {lines.Length - MaxProgramLines} more lines");
        }

        return builder.Append("```").ToString();
    }

    private static IReadOnlyList<string>? Fields(string hook, ProbeCatalog catalog)
    {
        var parts = hook.Split(':');
        if (parts is ["tracepoint", var category, var name])
        {
            return catalog.FindTracepoint(category, name)?.Fields.Select(f => f.Declaration).ToList();
        }

        if (parts is ["kprobe" or "kfunc", var function] && catalog.Btf is { } btf && btf.FindFunction(function) is { } found && btf.PrototypeOf(found) is { } prototype)
        {
            return [.. prototype.Parameters.Select((p, i) => $"{btf.Format(p.Type)} {p.Name} (arg{i})")];
        }

        return null;
    }
}
