using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Symbolic;

/// <summary>The symbolic verifier stage: a function from an annotated program (plus the catalog and the contracts) to a
/// <see cref="SymbolicResult"/>. Throws <see cref="SolverUnavailableException"/> only when Z3 cannot be loaded.</summary>
public static class SymbolicVerifier
{
    /// <summary>Statements executed (over all paths) above which the Z3 terms are collected before the context is freed.</summary>
    private const int LargeWork = 2000;

    public static SymbolicResult Verify(ParseResult program, ProbeCatalog? catalog, SymbolicOptions? options = null)
    {
        options ??= SymbolicOptions.Default;
        if (Safety.SafetyPolicy.Review(program, options.Allowed) is { IsSafe: false } review)
        {
            return new SymbolicResult(program, [], [$"refused by the safety policy: {review.Reason}"], [], []) { Refusal = review };
        }

        var context = Z3Runtime.CreateContext();
        var (result, work) = Execute(context, program, catalog, options);
        if (work > LargeWork)
        {
            // Z3 4.8 frees a context slowly while its terms are still referenced (seconds for a chain of thousands of
            // additions), and here they are referenced until .NET finalizes their wrappers. The result holds no Z3 object,
            // so the context is freed on a worker thread once the wrappers are finalized; the caller does not wait.
            _ = Task.Run(() =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                context.Dispose();
            });
        }
        else
        {
            context.Dispose();
        }

        return result;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (SymbolicResult Result, int Work) Execute(Microsoft.Z3.Context context, ParseResult program, ProbeCatalog? catalog, SymbolicOptions options)
    {
        var executor = new SymbolicExecutor(new SolverGateway(context, options), options, program, catalog);
        return (executor.Execute(), executor.Work);
    }

    public static SymbolicResult Verify(string text, string path, ProbeCatalog? catalog, SymbolicOptions? options = null) =>
        Verify(BpftraceParser.Parse(text, path), catalog, options);

    /// <summary>The native Z3 in use (e.g. <c>4.8.12.0</c>) or why it cannot be loaded.</summary>
    public static string SolverVersion => Z3Runtime.DescribeVersion();
}
