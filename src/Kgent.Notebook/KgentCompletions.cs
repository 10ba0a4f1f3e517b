namespace Kgent.Notebook;

/// <summary>Completions on a cell's stage line, for hosts that ask the session (the native Jupyter kernel): the stage
/// names after <c>#!kgent</c>, the stage's options after <c>--</c>, and an option's values after it.</summary>
public static class KgentCompletions
{
    /// <summary>The matches for the word the cursor ends, and where that word starts and ends in <paramref name="cell"/>;
    /// no matches below the stage line.</summary>
    public static (IReadOnlyList<string> Matches, int Start, int End) Complete(string cell, int cursor, KgentSession? session = null)
    {
        cursor = Math.Clamp(cursor, 0, cell.Length);
        var lineStart = cell.LastIndexOf('\n', Math.Max(cursor - 1, 0)) + 1;
        if (cursor > 0 && cell[cursor - 1] == '\n')
        {
            lineStart = cursor;
        }

        var before = cell[lineStart..cursor];
        var wordStart = before.LastIndexOfAny([' ', '\t']) + 1;
        var word = before[wordStart..];
        var start = lineStart + wordStart;
        if (cell[..lineStart].Trim().Length > 0)
        {
            return ([], start, cursor);
        }

        var words = before[..wordStart].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count > 0 && words[0] == KgentDirectiveLine.Magic)
        {
            words.RemoveAt(0);
        }
        else if (words.Count == 0 && KgentDirectiveLine.Magic.StartsWith(word, StringComparison.Ordinal) && word.StartsWith('#'))
        {
            return ([KgentDirectiveLine.Magic], start, cursor);
        }

        var stage = words.Count > 0 ? KgentStage.Find(words[0]) : null;
        IEnumerable<string> candidates = words.Count == 0 ? KgentStage.Names
            : word.StartsWith('-') ? stage?.Options ?? KgentStage.OptionHelp.Keys
            : words[^1].StartsWith("--", StringComparison.Ordinal) ? KgentStage.ValuesOf(words[^1], session)
            : [];
        return ([.. candidates.Where(c => c.StartsWith(word, StringComparison.Ordinal)).Distinct()], start, cursor);
    }
}
