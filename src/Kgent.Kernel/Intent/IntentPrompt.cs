using System.Text;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Intent;

/// <summary>The comprehension engine's intent prompt: the request, the schema of an <see cref="IntentSpec"/>, and the
/// rules that keep a specification honest (only what the request says, every item with the words it came from, hooks
/// that exist on this kernel). A second round carries the first reply's schema problems as feedback.</summary>
public static class IntentPrompt
{
    public const string Boilerplate = """
        You read a request for a kernel tracing program and write down, as JSON, what the request asks for, so that a
        verifier can check a program against it. Write only what the request says: leave an item null or an array empty
        when the request does not ask for it; never add a filter, key or field the request does not name. Every item has
        "words": the words of the request it comes from. Events list the hooks of this kernel that observe them (bpftrace
        attach points); a hook that also fires for other things has the bpftrace condition that selects the event.
        Reply with one JSON object in a ```json block, following this schema:
        """;

    /// <summary>The system message: the instructions and the schema.</summary>
    public static string System { get; } = Boilerplate + "\n" + IntentJson.Schema;

    public static string Build(string request, ProbeCatalog? catalog)
    {
        var builder = new StringBuilder();
        builder.Append("Request: ").AppendLine(request);
        if (catalog is not null)
        {
            builder.AppendLine().Append("Kernel: Linux ").Append(catalog.Host.KernelRelease)
                .AppendLine(catalog.Host.CanAttach(Probes.ProbeType.Kprobe) ? " (kprobes and tracepoints)" : " (tracepoints only: list no kprobe hooks)");
        }

        return builder.ToString();
    }

    /// <summary>The second round: the reply's problems, each with its JSON path, and the request again.</summary>
    public static string Retry(string request, string reply, IEnumerable<string> problems)
    {
        var builder = new StringBuilder();
        builder.Append("Request: ").AppendLine(request).AppendLine()
            .AppendLine("Your specification does not follow the schema:");
        foreach (var problem in problems.Take(20))
        {
            builder.Append("- ").AppendLine(problem);
        }

        var shown = reply.Length > 4000 ? reply[..4000] + "…" : reply;
        builder.AppendLine().AppendLine("Your reply was:").AppendLine(shown).AppendLine()
            .AppendLine("Reply with the corrected specification in one ```json block.");
        return builder.ToString();
    }
}
