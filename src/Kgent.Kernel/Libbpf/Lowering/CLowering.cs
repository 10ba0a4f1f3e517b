using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Libbpf.Check;
using Kgent.Kernel.Libbpf.Compile;

namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>Reads a compiled C program through clang's JSON syntax tree and writes the bpftrace program that does the
/// same, line for line (see <see cref="FunctionLowering"/> for what is modelled). Why the syntax tree and not LLVM IR:
/// the tree keeps the program's own structure (blocks, <c>if</c>, <c>return</c>), the names of the fields it reads
/// (contracts speak of <c>args->dport</c> and <c>sk->__sk_common.skc_dport</c>) and the line and column of each
/// statement, so each C statement becomes one bpftrace statement on its line; IR would have to be structured again from
/// its control-flow graph, and keeps field names only in CO-RE's access intrinsics.</summary>
public static class CLowering
{
    public static LoweredC Lower(CBuild build, ProbeCatalog? catalog)
    {
        var source = build.Source;
        if (build.Object is not { } compiled)
        {
            return Problem(source, 1, 1, "the program did not compile");
        }

        var output = new LineAlignedText();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var functions = new List<(CAstNode Function, ProgramSection Section)>();
        foreach (var program in compiled.Programs.DistinctBy(p => p.Function))
        {
            var (json, problem) = ClangCompiler.SyntaxTree(build, program.Function);
            if (json is null)
            {
                return Problem(source, 1, 1, problem ?? "clang gave no syntax tree");
            }

            var function = CAstReader.Function(json, program.Function, build.CompiledFile!, source);
            if (function is null)
            {
                return Problem(source, 1, 1, $"clang's syntax tree has no definition of {program.Function}");
            }

            functions.Add((function, ProgramSection.Parse(program.Section)));
        }

        foreach (var (function, section) in functions.OrderBy(f => f.Function.Line))
        {
            var format = section.Type == Probes.ProbeType.Tracepoint && section.Category is { } category ? catalog?.FindTracepoint(category, section.Target) : null;
            try
            {
                new FunctionLowering(function, section, format, output, names).Lower();
            }
            catch (NotModelledException e)
            {
                var line = e.Node.Line > 0 ? e.Node.Line : function.Line;
                var column = e.Node.Line > 0 ? e.Node.Column : 1;
                return Problem(source, line, column, $"{e.Construct} is not modelled by Kgent's symbolic verifier, so {function.Name} is not checked symbolically");
            }
        }

        return new LoweredC(source, output.ToString(), []);
    }

    private static LoweredC Problem(SourceText source, int line, int column, string message)
    {
        var start = source.GetOffset(new LinePosition(line, column));
        var end = source.GetOffset(new LinePosition(line, int.MaxValue / 2));
        var diagnostic = new Diagnostic(CDiagnostics.NotModelled, new TextSpan(start, Math.Max(0, end - start)), message,
            "the kernel verifier still checks the program; write the step with the helpers and idioms Kgent models (see the README's C section) to have it proved");
        return new LoweredC(source, string.Empty, [diagnostic]);
    }
}
