using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Kgent.Kernel.Symbolic.Terms;
using Microsoft.Z3;

namespace Kgent.Kernel.Symbolic;

/// <summary>Kgent's one door to the solver, its prover boundary: the executor speaks <see cref="Term"/>s, and only here do
/// they become Z3 expressions. Every query goes through <see cref="Check"/>, which applies the timeout, maps Z3's typed
/// <see cref="Status"/> to a <see cref="QueryAnswer"/>, records the query and, when asked, writes it as SMT-LIB 2 for
/// replay with the <c>z3</c> binary; <see cref="Simplify"/> is Z3's simplifier over terms.</summary>
internal sealed class SolverGateway(Context context, SymbolicOptions options)
{
    private readonly List<SolverQuery> queries = [];
    private readonly Z3Terms terms = new(context);

    /// <summary>One query in a context of its own, for a caller outside symbolic execution (the intent check's vacuity
    /// test). Throws <see cref="SolverUnavailableException"/> when Z3 cannot be loaded.</summary>
    public static QueryAnswer CheckOnce(Term condition, string purpose)
    {
        using var context = Z3Runtime.CreateContext();
        return new SolverGateway(context, SymbolicOptions.Default).Check([condition], purpose).Answer;
    }

    /// <summary>Z3's simplification of a term (the term itself when the answer leaves the executor's fragment).</summary>
    public Term Simplify(Term term) => terms.Simplify(term);

    public ImmutableArray<SolverQuery> Queries => [.. queries];

    public QueryOutcome Check(IReadOnlyList<Term> conditions, string purpose)
    {
        // Z3's SMT core on its own: the default solver first builds a tactic pipeline for the query's logic, ~9 ms per
        // query on this host and most of a small query's time; the queries Kgent asks (bit-vectors over byte arrays) are
        // what the core decides directly.
        var solver = context.MkSimpleSolver();
        var parameters = context.MkParams();
        parameters.Add("timeout", (uint)Math.Clamp(options.Timeout.TotalMilliseconds, 1, uint.MaxValue));
        solver.Parameters = parameters;
        solver.Assert([.. conditions.Select(terms.ToZ3Bool)]);
        var smt2 = options.Smt2Directory is null ? null : solver.ToString();
        var watch = Stopwatch.StartNew();
        var status = solver.Check();
        watch.Stop();
        var answer = status switch
        {
            Status.SATISFIABLE => QueryAnswer.Sat,
            Status.UNSATISFIABLE => QueryAnswer.Unsat,
            _ => QueryAnswer.Unknown,
        };
        var index = queries.Count + 1;
        var path = options.Smt2Directory is { } directory ? WriteSmt2(directory, index, purpose, smt2!, answer) : null;
        queries.Add(new SolverQuery(index, purpose, answer, watch.Elapsed, path));
        return new QueryOutcome(answer, answer == QueryAnswer.Sat ? new TermModel(solver.Model, terms) : null,
            answer == QueryAnswer.Unknown ? solver.ReasonUnknown : null);
    }

    /// <summary>Writes the solver's assertions as Z3 printed them before checking (SMT-LIB 2 declarations and asserts)
    /// followed by <c>(check-sat)</c>, with the answer Kgent got in a comment.</summary>
    private static string WriteSmt2(string directory, int index, string purpose, string assertions, QueryAnswer answer)
    {
        Directory.CreateDirectory(directory);
        var body = assertions.TrimEnd() + "\n(check-sat)\n";

        var file = Path.Combine(directory, $"query-{index.ToString("D4", CultureInfo.InvariantCulture)}.smt2");
        var header = $"; kgent query {index}: {purpose.Replace('\n', ' ')}\n; kgent answer: {answer.ToString().ToLowerInvariant()}\n";
        Platform.SafeFile.WriteAllText(file, header + body);
        return file;
    }
}

/// <summary>A query's typed answer, its model when satisfiable, and Z3's reason when unknown.</summary>
internal sealed record QueryOutcome(QueryAnswer Answer, TermModel? Model, string? ReasonUnknown);
