using System.Collections.Immutable;
using Kgent.Kernel.Examples;

namespace Kgent.Kernel.Agent;

/// <summary>The prompt for one synthesis attempt, kept in its sections so a notebook can show them apart: the
/// boilerplate (instructions), the request, the retrieved examples with their scores, and every feedback so far.</summary>
public sealed record Prompt(string Boilerplate, string Request, ImmutableArray<ExampleMatch> Examples, ImmutableArray<Feedback> Feedback, string HostFacts)
{
    /// <summary>The hooks' fields and contract notes (<see cref="PromptFacts.Hooks"/>), or empty.</summary>
    public string HookFacts { get; init; } = string.Empty;

    /// <summary>On a retry, the failed program with its diagnostics under their lines (<see cref="PromptFacts.FailedProgram"/>), or null.</summary>
    public string? FailedProgram { get; init; }

    /// <summary>The language the program is written in, as its code fences name it: <c>bpftrace</c> or <c>c</c> (libbpf C).</summary>
    public string Language { get; init; } = "bpftrace";

    /// <summary>What the model is sent, in characters (system and user message).</summary>
    public int Characters => Boilerplate.Length + UserMessage.Length;

    /// <summary>An estimate of the tokens that is (four characters a token) when the provider reports none.</summary>
    public int EstimatedTokens => (Characters + 3) / 4;

    /// <summary>The whole prompt as the model receives it (the user message; <see cref="Boilerplate"/> is the system message).</summary>
    public string UserMessage
    {
        get
        {
            var builder = new System.Text.StringBuilder();
            builder.Append("Request: ").AppendLine(Request.Trim()).AppendLine();
            builder.AppendLine(HostFacts).AppendLine();
            if (HookFacts.Length > 0)
            {
                builder.AppendLine(HookFacts).AppendLine();
            }
            if (!Examples.IsEmpty)
            {
                builder.AppendLine("Similar examples (each says where it came from: the dataset, an installed tool, a user, or an earlier synthesis that Kgent verified):");
                foreach (var match in Examples)
                {
                    builder.Append("Example from ").Append(match.Example.Origin.Label()).AppendLine(":");
                    builder.Append("### ").AppendLine(match.Example.Request);
                    builder.AppendLine("```" + Language).Append(match.Example.Program.TrimEnd()).AppendLine().AppendLine("```");
                }

                builder.AppendLine();
            }

            if (!Feedback.IsEmpty)
            {
                builder.AppendLine("Your previous attempts failed. Fix every problem below:");
                foreach (var item in Feedback)
                {
                    builder.Append("- ").AppendLine(item.ToPromptText());
                }

                builder.AppendLine();
            }

            if (FailedProgram is { Length: > 0 } failed)
            {
                builder.AppendLine(failed).AppendLine();
            }

            builder.Append(Language == "c" ? "Answer with one libbpf C program in a ```c code block." : "Answer with one bpftrace program in a ```bpftrace code block.");
            return builder.ToString();
        }
    }
}
