using System.Globalization;

namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>How much of a file's diagnostics Kgent shows: the first <see cref="PerFile"/> in source order, then one closing
/// line that says how many were left out (100 KB of random bytes gives tens of thousands; nobody reads past the first few,
/// and the prompter gets only five).</summary>
public static class DiagnosticLimit
{
    public const int PerFile = 100;

    /// <summary>The diagnostics to show and how many are left out.</summary>
    public static (IReadOnlyList<Diagnostic> Shown, int Omitted) Cap(IEnumerable<Diagnostic> diagnostics)
    {
        var all = diagnostics as IReadOnlyList<Diagnostic> ?? [.. diagnostics];
        return all.Count <= PerFile ? (all, 0) : ([.. all.Take(PerFile)], all.Count - PerFile);
    }

    /// <summary>The closing line for a file whose diagnostics were cut, e.g.
    /// <c>prog.bt: 38,383 more diagnostics not shown (38,380 errors, 3 warnings)</c>.</summary>
    public static string ClosingLine(string path, IEnumerable<Diagnostic> omitted)
    {
        var list = omitted as IReadOnlyList<Diagnostic> ?? [.. omitted];
        var errors = list.Count(d => d.IsError);
        var warnings = list.Count - errors;
        return $"{path}: {N(list.Count)} more diagnostic{(list.Count == 1 ? "" : "s")} not shown ({N(errors)} error{(errors == 1 ? "" : "s")}, {N(warnings)} warning{(warnings == 1 ? "" : "s")}); fix the first ones and check again";
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
