using System.Text;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;

namespace Kgent.Kernel.Agent;

/// <summary>The comprehension engine's prompt: the candidate, the contracts of the hooks it attaches to (pre/post
/// conditions and notes), and the instruction to add <c>assume</c>/<c>assert</c> statements without changing the code.</summary>
public static class ComprehensionPrompt
{
    public const string Boilerplate = """
        You annotate bpftrace programs for a symbolic verifier. Add Hoare-style statements, each on its own line:
        assume(COND); for what the kernel guarantees at this point (use the contracts below) and assert(COND); for what
        the program's output must satisfy (units, byte order, ranges). COND is a bpftrace expression; ntohs/htons and
        ntohl/htonl (16/32-bit byte swaps) are allowed inside them. Do not change, add or remove any other line.
        Reply with the annotated program in one ```bpftrace block.
        """;

    public static string Build(ParseResult candidate, ContractSet? contracts)
    {
        var builder = new StringBuilder();
        builder.AppendLine("Program:").AppendLine("```bpftrace").Append(candidate.Source.Text.TrimEnd()).AppendLine().AppendLine("```");
        var used = candidate.Program.Probes.SelectMany(p => p.AttachPoints)
            .Select(a => contracts?.Find(a)).OfType<HookContract>().Distinct().ToList();
        if (used.Count > 0)
        {
            builder.AppendLine().AppendLine("Contracts of the hooks it uses:");
            foreach (var contract in used)
            {
                builder.Append("- ").Append(contract.Title).Append(": ").AppendLine(contract.Summary);
                foreach (var clause in contract.Pre)
                {
                    builder.Append("  pre: ").AppendLine(clause.Text);
                }

                foreach (var clause in contract.Post)
                {
                    builder.Append("  post: ").AppendLine(clause.Text);
                }

                foreach (var note in contract.Notes)
                {
                    builder.Append("  note: ").Append(note.Subject).Append(": ").AppendLine(note.Text);
                }
            }
        }

        return builder.ToString();
    }
}
