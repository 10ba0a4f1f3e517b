using System.Text;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Tests.Robustness;

/// <summary>Generated programs of at least 100 KB that try to make Kgent crash, hang or flood: operator, field, index and
/// else-if chains far past the nesting limit, nesting just under it repeated many times (so every pass walks trees at the
/// deepest depth it accepts), very wide programs, one huge line, floods of errors and random bytes.</summary>
public static class HostileCorpus
{
    public const int MinimumSize = 100 * 1024;

    public static IEnumerable<(string Name, string Text)> Programs()
    {
        const string probe = "tracepoint:syscalls:sys_enter_openat";
        var deep = BpftraceParser.MaxNesting - 16;
        yield return ("plus-chain", $"BEGIN {{ $x = {Repeat("1", " + ", 40_000)}; }}\n");
        yield return ("and-chain", $"{probe} /{Repeat("pid > 1", " && ", 12_000)}/ {{ @[comm] = count(); }}\n");
        yield return ("or-chain-if", $"{probe} {{ if ({Repeat("args->flags == 1", " || ", 6_000)}) {{ @x = 1; }} }}\n");
        yield return ("ternary-chain", $"BEGIN {{ $x = {string.Concat(Enumerable.Repeat("pid ? ", 20_000))}1{string.Concat(Enumerable.Repeat(" : 0", 20_000))}; }}\n");
        yield return ("paren-nest", $"BEGIN {{ $x = {new string('(', 60_000)}1{new string(')', 60_000)}; }}\n");
        yield return ("unary-nest", $"BEGIN {{ $x = {new string('!', 110_000)}1; }}\n");
        yield return ("minus-nest", $"BEGIN {{ $x = {string.Concat(Enumerable.Repeat("- ", 60_000))}pid; }}\n");
        yield return ("cast-nest", $"BEGIN {{ $x = {string.Concat(Enumerable.Repeat("(uint64)", 15_000))}pid; }}\n");
        yield return ("call-nest", $"BEGIN {{ $x = {string.Concat(Enumerable.Repeat("str(", 30_000))}\"a\"{new string(')', 30_000)}; }}\n");
        yield return ("map-key-nest", $"BEGIN {{ $x = {string.Concat(Enumerable.Repeat("@a[", 30_000))}1{new string(']', 30_000)}; }}\n");
        yield return ("arrow-chain", $"kprobe:tcp_connect {{ $s = (struct sock *)arg0; $x = $s{string.Concat(Enumerable.Repeat("->__sk_common", 10_000))}; }}\n");
        yield return ("dot-chain", $"BEGIN {{ $x = $t{string.Concat(Enumerable.Repeat(".f", 60_000))}; }}\n");
        yield return ("index-chain", $"BEGIN {{ $x = @a{string.Concat(Enumerable.Repeat("[1]", 40_000))}; }}\n");
        yield return ("if-nest", $"BEGIN {{ {string.Concat(Enumerable.Repeat("if (1) { ", 12_000))}{new string('}', 12_000)} }}\n");
        yield return ("while-nest", $"BEGIN {{ $i = 0; {string.Concat(Enumerable.Repeat("while ($i < 1) { ", 8_000))}{new string('}', 8_000)} }}\n");
        yield return ("elseif-chain", $"BEGIN {{ if (pid == 0) {{ }} {string.Concat(Enumerable.Range(1, 12_000).Select(i => $"else if (pid == {i}) {{ }} "))}}}\n");
        yield return ("predicate-nest", $"{probe} /{new string('(', 60_000)}pid{new string(')', 60_000)}/ {{ @x = 1; }}\n");

        // Just under the limit, repeated: valid (or nearly), and every pass walks the deepest trees it accepts.
        yield return ("deep-chains", Many(i => $"  $x{i} = {Repeat("1", " + ", deep)};\n  assert($x{i} >= 0);\n"));
        yield return ("deep-ifs", Many(i => $"  {string.Concat(Enumerable.Repeat("if (args->flags > 0) { ", deep - 4))}@n{i} = count();{new string('}', deep - 4)}\n"));
        yield return ("deep-parens", Many(i => $"  $p{i} = {new string('(', deep - 4)}args->flags{new string(')', deep - 4)};\n  assert($p{i} == args->flags);\n"));
        yield return ("deep-unary", Many(i => $"  $u{i} = {new string('~', deep - 4)}args->flags;\n"));
        yield return ("deep-fields", Many(i => $"  $f{i} = ((struct task_struct *)curtask){string.Concat(Enumerable.Repeat("->parent", deep - 8))}->pid;\n"));

        // Wide and noisy.
        yield return ("wide-probes", string.Concat(Enumerable.Range(0, 2_500).Select(i => $"{probe} /pid == {i}/ {{ @opens{i} = count(); }}\n")));
        yield return ("wide-statements", $"{probe} {{\n  $x = 0;\n{string.Concat(Enumerable.Range(0, 6_000).Select(i => $"  $x = $x + {i};\n"))}  assert($x >= 0);\n}}\n");
        yield return ("wide-ifs", $"{probe} {{\n  $x = 0;\n{string.Concat(Enumerable.Range(0, 3_000).Select(i => $"  if (args->flags & {1L << (i % 40)}) {{ $x = $x + 1; }}\n"))}  assert($x >= 0);\n}}\n");
        yield return ("wide-printf", $"BEGIN {{ printf(\"{string.Concat(Enumerable.Repeat("%d ", 20_000))}\\n\", {Repeat("pid", ", ", 20_000)}); }}\n");
        yield return ("wide-maps", $"BEGIN {{ {string.Concat(Enumerable.Range(0, 8_000).Select(i => $"@m{i}[pid] = {i}; "))}}}\n");
        yield return ("huge-identifier", $"BEGIN {{ {new string('a', 120_000)}(); }}\n");
        yield return ("huge-string", $"BEGIN {{ printf(\"{new string('x', 120_000)}\\n\"); }}\n");
        yield return ("huge-comment-line", $"BEGIN {{ // {new string('c', 120_000)}\n  exit(); }}\n");
        yield return ("error-flood", $"BEGIN {{ {string.Concat(Enumerable.Repeat("$ = ; ", 20_000))}}}\n");
        yield return ("brace-flood", new string('}', 110_000));
        yield return ("define-flood", string.Concat(Enumerable.Range(0, 6_000).Select(i => $"#define MACRO{i} MACRO{i + 1} + 1\n")) + "BEGIN { $x = MACRO0; }\n");
        yield return ("macro-bomb", string.Concat(Enumerable.Range(0, 30).Select(i => $"#define B{i} B{i + 1} B{i + 1}\n")) + new string(' ', 110_000) + "BEGIN { $x = B0; }\n");
        yield return ("random-bytes", RandomText(1));
        yield return ("random-tokens", RandomTokens(2));
    }

    private static string Repeat(string term, string separator, int count) => string.Join(separator, Enumerable.Repeat(term, count));

    /// <summary>Probe bodies made of generated statements until the program is at least 100 KB.</summary>
    private static string Many(Func<int, string> statement)
    {
        var text = new StringBuilder();
        var probe = 0;
        while (text.Length < MinimumSize)
        {
            text.Append("tracepoint:syscalls:sys_enter_openat {\n");
            for (var i = 0; i < 20; i++)
            {
                text.Append(statement(probe * 20 + i));
            }

            text.Append("}\n");
            probe++;
        }

        return text.ToString();
    }

    private static string RandomText(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[MinimumSize + 1024];
        random.NextBytes(bytes);
        return Encoding.Latin1.GetString(bytes);
    }

    private static string RandomTokens(int seed)
    {
        string[] tokens = ["{", "}", "(", ")", "[", "]", ";", "->", "$x", "@m", "1", "+", "&&", "if", "else", "while", "BEGIN", "\"s\"", "/", "?", ":", "kprobe:f", "\n", "#define X", "assert(", "str("];
        var random = new Random(seed);
        var text = new StringBuilder();
        while (text.Length < MinimumSize)
        {
            text.Append(tokens[random.Next(tokens.Length)]).Append(' ');
        }

        return text.ToString();
    }
}
