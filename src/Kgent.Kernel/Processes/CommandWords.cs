namespace Kgent.Kernel.Processes;

/// <summary>Splits a command line into words on white space, keeping '…' and "…" together (quotes removed); no other
/// shell syntax. Used for <c>--bpftrace "chroot DIR bpftrace"</c> and the notebook's <c>#!kgent</c> lines.</summary>
public static class CommandWords
{
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in text)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
