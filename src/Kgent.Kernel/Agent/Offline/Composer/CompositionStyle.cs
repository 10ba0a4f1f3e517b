using System.Text.RegularExpressions;
using Kgent.Kernel.Examples;

namespace Kgent.Kernel.Agent.Offline.Composer;

/// <summary>How the retrieved examples write their programs, which a composed program follows: padded columns
/// (<c>%-16s</c> for a name, <c>%-7d</c> for a PID) and a "Tracing … Hit Ctrl-C to end." header. Style only: an
/// example's hook, filter or map never enters a composition.</summary>
internal sealed partial record CompositionStyle(bool Padded, bool Header)
{
    public static CompositionStyle Plain { get; } = new(false, false);

    /// <summary>The style most of the examples share (a tie keeps the plain style).</summary>
    public static CompositionStyle Of(IReadOnlyList<Example> examples)
    {
        var printing = examples.Where(e => e.Program.Contains("printf(", StringComparison.Ordinal)).ToList();
        var padded = printing.Count > 0 && printing.Count(e => PaddedConversion().IsMatch(e.Program)) * 2 > printing.Count;
        var header = examples.Count > 0 && examples.Count(e => HeaderProbe().IsMatch(e.Program)) * 2 > examples.Count;
        return new(padded, header);
    }

    [GeneratedRegex(@"%-\d+[sdu]")]
    private static partial Regex PaddedConversion();

    [GeneratedRegex(@"BEGIN\s*\{\s*printf\(")]
    private static partial Regex HeaderProbe();
}
