using Kgent.Cli.Output;
using Kgent.Kernel.Composition;

namespace Kgent.Cli.Commands;

/// <summary>The command line's face on the <see cref="Workbench"/>: its notes go to standard error in Kgent's forms
/// (<c>kgent: warning: …</c>, dimmed <c>kgent: …</c>, a loader's own lines as they are).</summary>
internal static class CliWorkbench
{
    public static Workbench Open(WorkbenchOptions options, TextWriter error, ConsoleStyle style) =>
        new(options, note => error.WriteLine(Render(note, style)));

    public static string Render(WorkbenchNote note, ConsoleStyle style) => note.Kind switch
    {
        WorkbenchNoteKind.Warning => style.Warning($"kgent: warning: {note.Text}"),
        WorkbenchNoteKind.Info => style.Dim($"kgent: {note.Text}"),
        _ => note.Text,
    };

    /// <summary>Runs a command's body; what the workbench cannot load is one error line and exit 2.</summary>
    public static int Run(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (WorkbenchException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }
    }
}
