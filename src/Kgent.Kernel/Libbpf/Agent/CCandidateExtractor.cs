using System.Text.RegularExpressions;

namespace Kgent.Kernel.Libbpf.Agent;

/// <summary>Pulls a libbpf C program out of a model's reply: the first fenced block (```c, ```bpf.c or bare ```) that
/// defines a program (a <c>SEC("…")</c>), else the reply itself when it reads as C with a section.</summary>
public static partial class CCandidateExtractor
{
    public static string? Extract(string reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var fenced = Fences().Matches(reply).Select(m => m.Groups["code"].Value).FirstOrDefault(c => c.Contains("SEC(", StringComparison.Ordinal));
        var code = fenced ?? (reply.Contains("SEC(", StringComparison.Ordinal) && reply.Contains("#include", StringComparison.Ordinal) ? reply : null);
        return code is null ? null : code.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n') + "\n";
    }

    [GeneratedRegex(@"```[ \t]*(?:c|C|bpf\.c|cpp)?[ \t]*\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fences();
}
