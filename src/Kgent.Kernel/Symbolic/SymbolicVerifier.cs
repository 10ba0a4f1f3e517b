using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Symbolic;

/// <summary>The symbolic verifier stage: a function from an annotated program (plus the catalog and the contracts) to a
/// <see cref="SymbolicResult"/>. Throws <see cref="SolverUnavailableException"/> only when Z3 cannot be loaded.</summary>
public static class SymbolicVerifier
{
    public static SymbolicResult Verify(ParseResult program, ProbeCatalog? catalog, SymbolicOptions? options = null)
    {
        options ??= SymbolicOptions.Default;
        if (Safety.SafetyPolicy.Review(program, options.Allowed) is { IsSafe: false } review)
        {
            return new SymbolicResult(program, [], [$"refused by the safety policy: {review.Reason}"], [], []) { Refusal = review };
        }

        using var context = Z3Runtime.CreateContext();
        var solver = new SolverGateway(context, options);
        return new SymbolicExecutor(context, solver, options, program, catalog).Execute();
    }

    public static SymbolicResult Verify(string text, string path, ProbeCatalog? catalog, SymbolicOptions? options = null) =>
        Verify(BpftraceParser.Parse(text, path), catalog, options);

    /// <summary>The native Z3 in use (e.g. <c>4.8.12.0</c>) or why it cannot be loaded.</summary>
    public static string SolverVersion => Z3Runtime.DescribeVersion();
}
