namespace Kgent.Kernel.Composition;

/// <summary>Something the workbench says while it loads: a <see cref="WorkbenchNoteKind.Warning"/> (it goes on, but
/// with less), an <see cref="WorkbenchNoteKind.Info"/> (what it did), or a <see cref="WorkbenchNoteKind.Detail"/> (a
/// line of a loader's own report, such as a contract problem in compiler form, to print as it is).</summary>
public sealed record WorkbenchNote(WorkbenchNoteKind Kind, string Text);

public enum WorkbenchNoteKind
{
    Warning,
    Info,
    Detail,
}
