using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Semantics;

/// <summary>What every checking pass shares: the catalog, the options, the source and the diagnostics so far.</summary>
internal sealed class CheckContext(ProbeCatalog catalog, CheckOptions options, SourceText source)
{
    private readonly List<Diagnostic> diagnostics = [];

    public ProbeCatalog Catalog { get; } = catalog;

    public CheckOptions Options { get; } = options;

    public SourceText Source { get; } = source;

    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics;

    public void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? hint = null, TextFix? fix = null) =>
        diagnostics.Add(new Diagnostic(descriptor, span, message, hint) { Fix = fix });

    /// <summary>" (did you mean 'x'?)" or an empty string.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        var closest = Suggestions.Closest(word, candidates);
        return closest is null ? string.Empty : $"did you mean '{closest}'?";
    }

    public static string? Hint(params string?[] parts)
    {
        var text = string.Join(" ", parts.Where(p => !string.IsNullOrEmpty(p)));
        return text.Length == 0 ? null : text;
    }
}
