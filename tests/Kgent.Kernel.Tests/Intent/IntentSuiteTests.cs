using Kgent.Kernel.Evaluation;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Intent.Suite;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Intent;

/// <summary>The intent-check suite (datasets/intent): every program gets the verdict the data expects, a wrong one is
/// refuted by the named obligation on the named line, a correct one is verified, and every listed disagreement still
/// disagrees. At most two correct programs may be refuted (false alarms).</summary>
public sealed class IntentSuiteTests
{
    private static readonly Lazy<IReadOnlyList<IntentSuiteCase>> Cases = new(() => IntentSuiteLoader.Load(Directory));

    private static string Directory => Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "intent");

    public static IEnumerable<object[]> Ids() => Cases.Value.Select(c => new object[] { c.Id });

    [Theory]
    [MemberData(nameof(Ids))]
    public void Program_gets_the_expected_verdict(string id)
    {
        var suiteCase = Cases.Value.Single(c => c.Id == id);

        var outcome = IntentSuiteRunner.RunOne(suiteCase, Catalogs.Snapshot, SymbolicCases.Contracts);

        var detail = string.Join("\n", outcome.Report.Results.Where(r => r.Outcome != ObligationOutcome.Proved).Select(r => $"  {r.Obligation.Kind}: {r.Message}"));
        Assert.True(outcome.AsExpected, suiteCase.Disagreement is null
            ? $"{suiteCase.Location}: expected {suiteCase.Expect} ({suiteCase.Obligation} on line {suiteCase.Line}), got {outcome.Report.VerdictText}\n{detail}"
            : $"{suiteCase.Location}: the listed disagreement no longer holds (Kgent now agrees): remove it from the data\n{detail}");
    }

    [Fact]
    public void The_suite_covers_every_evaluation_category_and_every_kind_of_mistake()
    {
        var cases = Cases.Value;
        var evalCategories = EvalSuiteLoader.Load(Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "eval")).Cases.Select(c => c.Category).ToHashSet();

        Assert.True(cases.Count >= 80, $"{cases.Count} programs");
        Assert.Superset(evalCategories, cases.Select(c => c.Category).ToHashSet());
        Assert.Superset(
            new HashSet<string> { "style", "wrong event", "missing filter", "inverted filter", "wrong key", "wrong aggregation", "wrong unit", "raw byte order", "missing field", "latency across threads" },
            cases.Select(c => c.Kind).ToHashSet());
        Assert.All(evalCategories, category =>
        {
            Assert.Contains(cases, c => c.Category == category && c.Expect == IntentVerdict.Verified);
            Assert.Contains(cases, c => c.Category == category && c.Expect == IntentVerdict.Refuted);
        });

        // Correct programs in several styles: a predicate and an if-statement for the same filter.
        Assert.Contains(cases, c => c.Expect == IntentVerdict.Verified && c.Program.Contains("if (", StringComparison.Ordinal)
            && cases.Any(d => d.Request == c.Request && d.Expect == IntentVerdict.Verified && d.Program.Contains('/') && !d.Program.Contains("if (", StringComparison.Ordinal)));
    }

    [Fact]
    public void At_most_two_correct_programs_are_refuted_and_every_disagreement_is_explained()
    {
        var outcomes = IntentSuiteRunner.Run(Cases.Value, Catalogs.Snapshot, SymbolicCases.Contracts);

        Assert.True(outcomes.Count(o => o.FalseAlarm) <= 2, string.Join("\n", outcomes.Where(o => o.FalseAlarm).Select(o => o.Case.Id)));
        Assert.All(outcomes.Where(o => !o.Matches), o => Assert.False(string.IsNullOrWhiteSpace(o.Case.Disagreement), $"{o.Case.Id} differs without an explanation"));
        Assert.DoesNotContain(outcomes, o => o.Missed && o.Case.Disagreement is null);
    }

    [Fact]
    public void A_malformed_suite_file_names_the_line_and_the_fix()
    {
        const string text = "category: files\nrequests:\n  - id: r\n    request: count opens\n    programs:\n      - id: p\n        kind: wrong key\n        expect: refuted\n        obligaton: key\n        program: |\n          BEGIN { }\n";

        var error = Assert.Throws<IntentSuiteException>(() => IntentSuiteLoader.Build([("bad.yaml", text)]));

        Assert.Contains(error.Problems, p => p.Code == "KG7105" && p.Line == 9 && p.Message.Contains("did you mean 'obligation'?", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Code == "KG7103" && p.Message.Contains("does not say which obligation", StringComparison.Ordinal));
    }
}
