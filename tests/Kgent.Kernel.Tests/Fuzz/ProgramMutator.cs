using System.Text;

namespace Kgent.Kernel.Tests.Fuzz;

/// <summary>Mutations of real programs (delete, insert a fragment, duplicate, truncate, replace a character, splice
/// another program) and random text, for the fuzz tests.</summary>
public static class ProgramMutator
{
    public static readonly string[] Fragments =
    [
        "{", "}", "(", ")", "[", "]", "/", "//", "/*", "*/", "\"", "\\", ";", ",", ":", "->", ".", "$", "@", "#",
        "++", "--", "?", "=", "==", "<<=", "0x", "1_", "9e", "'", "\n", "\t", " ", "if", "else", "while", "unroll",
        "return", "struct", "assume(", "assert(", "kprobe:", "tracepoint:a:b", "BEGIN", "END", "uprobe:/bin/sh:",
        "printf(\"%d\\n\", ", "(struct sock *)", "args->", "@m[", "$x = ", "\u00e9", "\u0000", "\ud83d\ude00", "\r\n",
    ];

    public static string Mutate(Random random, string[] corpus)
    {
        var text = new StringBuilder(corpus[random.Next(corpus.Length)]);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            var at = random.Next(text.Length);
            var length = Math.Min(text.Length - at, 1 + random.Next(12));
            switch (random.Next(7))
            {
                case 0:
                    text.Remove(at, length);
                    break;
                case 1:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2:
                    text.Insert(random.Next(text.Length), text.ToString(at, length));
                    break;
                case 3:
                    text.Length = at;
                    break;
                case 4:
                    text[at] = (char)random.Next(32, 127);
                    break;
                case 5:
                    var other = corpus[random.Next(corpus.Length)];
                    var from = random.Next(other.Length);
                    text.Insert(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(200))));
                    break;
                default:
                    text.Insert(at, Fragments[random.Next(Fragments.Length)]).Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
            }
        }

        return text.ToString();
    }

    public static string RandomText(Random random)
    {
        var text = new StringBuilder();
        var pieces = random.Next(1, 60);
        for (var i = 0; i < pieces; i++)
        {
            text.Append(random.Next(4) == 0 ? ((char)random.Next(0, 0x3000)).ToString() : Fragments[random.Next(Fragments.Length)]);
        }

        return text.ToString();
    }
}
