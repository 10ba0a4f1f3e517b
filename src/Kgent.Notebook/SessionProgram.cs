namespace Kgent.Notebook;

/// <summary>The name the session gives a program: each distinct program (compared without its annotations) gets the next
/// number the first time a stage uses it, and keeps it, so "program 3" in a check, an annotate, a verify and a run is the
/// same program. <see cref="Origin"/> says how it became the current one.</summary>
public sealed record SessionProgram(int Number, string Origin, string Text)
{
    public string Name => $"program {Number}";

    /// <summary>How a result names the program it used: from the cell's own body, or the session's current one.</summary>
    public string Caption(bool fromCell) =>
        fromCell ? $"{Name}, written in this cell" : $"{Name}, the current program ({Origin})";
}

/// <summary>A stage's result with the program it used, as a cell shows it: the caption, then the result's own view.</summary>
public sealed record ProgramResult(SessionProgram Program, bool FromCell, object Result)
{
    public string Caption => Program.Caption(FromCell);
}
