using System.Collections.Concurrent;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Kgent.Kernel.Tests.Semantics;

/// <summary>The mutation suite: each program must produce its diagnostic code against the checked-in catalog
/// snapshot, and the checker's accept/reject verdict must agree with bpftrace's real load-only verdict on at
/// least 95% of the suite, every disagreement being explained in the data file.</summary>
public sealed class MutationSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public void Suite_has_at_least_100_programs_with_distinct_names()
    {
        Assert.True(MutationCase.All.Count >= 100, $"only {MutationCase.All.Count} cases");
        Assert.Equal(MutationCase.All.Count, MutationCase.All.Select(c => c.Name).Distinct().Count());
        Assert.All(MutationCase.All.Where(c => c.ExpectedCode != "none"),
            c => Assert.Contains(SemanticDiagnostics.All, d => d.Code == c.ExpectedCode));
    }

    [Theory]
    [MemberData(nameof(MutationCase.Names), MemberType = typeof(MutationCase))]
    public void Checker_reports_the_expected_code(string name)
    {
        var mutation = MutationCase.Get(name);
        var result = SemanticChecker.Check(mutation.Program, "mutation.bt", Catalogs.Snapshot);
        var codes = result.Diagnostics.Select(d => $"{d.Code} {d.Message}").ToList();
        if (mutation.ExpectedCode == "none")
        {
            Assert.False(result.HasErrors, $"expected no errors, got:\n{string.Join('\n', codes)}");
        }
        else
        {
            Assert.True(result.Diagnostics.Any(d => d.Code == mutation.ExpectedCode),
                $"expected {mutation.ExpectedCode}, got:\n{(codes.Count == 0 ? "(nothing)" : string.Join('\n', codes))}");
        }
    }

    [BpftraceFact]
    public void Verdicts_agree_with_bpftrace_load_only_on_at_least_95_percent()
    {
        var verdicts = new ConcurrentDictionary<string, BpftraceLoadOnly.Verdict>();
        Parallel.ForEach(MutationCase.All, new ParallelOptions { MaxDegreeOfParallelism = 6 },
            mutation => verdicts[mutation.Name] = BpftraceLoadOnly.Run(mutation.Program));

        var disagreements = new List<string>();
        var unexplained = new List<string>();
        foreach (var mutation in MutationCase.All)
        {
            var ours = SemanticChecker.Check(mutation.Program, "mutation.bt", Catalogs.Live);
            var bpftrace = verdicts[mutation.Name];
            if (ours.HasErrors == !bpftrace.Accepted)
            {
                continue;
            }

            var line = $"{mutation.Name}: kgent {(ours.HasErrors ? "rejects" : "accepts")} ({string.Join(", ", ours.Errors.Select(e => e.Code))}), bpftrace {(bpftrace.Accepted ? "accepts" : "rejects")} ({bpftrace.Reason})";
            disagreements.Add(line);
            if (mutation.Disagreement is null)
            {
                unexplained.Add(line);
            }
        }

        var agreement = 1.0 - (double)disagreements.Count / MutationCase.All.Count;
        output.WriteLine($"agreement with bpftrace: {agreement:P1} ({MutationCase.All.Count - disagreements.Count}/{MutationCase.All.Count})");
        foreach (var line in disagreements)
        {
            output.WriteLine("  " + line);
        }

        Assert.True(unexplained.Count == 0, "disagreements not explained in mutations.bt.txt:\n" + string.Join('\n', unexplained));
        Assert.True(agreement >= 0.95, $"agreement {agreement:P1} is below 95%");
    }

    /// <summary>The same suite against each newer release, checked with that release as the target: the checker's
    /// verdict must agree with the release's own <c>--dry-run</c> on at least 95%, each disagreement explained in the data
    /// (<c># disagree 0.23: …</c>).</summary>
    [BpftraceTreeTheory("trixie")]
    [InlineData("trixie", "0.23")]
    public void Verdicts_agree_with_0_23_load_only_on_at_least_95_percent(string suite, string release) => AgreeWithRelease(suite, release);

    [BpftraceTreeTheory("sid")]
    [InlineData("sid", "0.27")]
    public void Verdicts_agree_with_0_27_load_only_on_at_least_95_percent(string suite, string release) => AgreeWithRelease(suite, release);

    private void AgreeWithRelease(string suite, string release)
    {
        var installation = Kgent.Kernel.KernelInfo.Host.Bpftrace.BpftraceInstallation.Resolve($"chroot {BpftraceTrees.Tree(suite)} bpftrace", out var problem);
        Assert.True(installation?.Version is not null, problem);
        var options = CheckOptions.Default with { TargetVersion = installation!.Version };
        var verdicts = new ConcurrentDictionary<string, BpftraceLoadOnly.Verdict>();
        Parallel.ForEach(MutationCase.All, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            mutation => verdicts[mutation.Name] = BpftraceLoadOnly.RunIn(suite, mutation.Program));

        var disagreements = new List<string>();
        var unexplained = new List<string>();
        foreach (var mutation in MutationCase.All)
        {
            var ours = SemanticChecker.Check(mutation.Program, "mutation.bt", Catalogs.Live, options);
            var theirs = verdicts[mutation.Name];
            if (ours.HasErrors == !theirs.Accepted)
            {
                continue;
            }

            var line = $"{mutation.Name}: kgent {(ours.HasErrors ? "rejects" : "accepts")} ({string.Join(", ", ours.Errors.Select(e => e.Code))}), bpftrace {installation.Version} {(theirs.Accepted ? "accepts" : "rejects")} ({theirs.Reason})";
            disagreements.Add(line);
            if (!mutation.ReleaseDisagreements.ContainsKey(release))
            {
                unexplained.Add(line);
            }
        }

        var agreement = 1.0 - (double)disagreements.Count / MutationCase.All.Count;
        output.WriteLine($"agreement with bpftrace {installation.Version}: {agreement:P1} ({MutationCase.All.Count - disagreements.Count}/{MutationCase.All.Count})");
        foreach (var line in disagreements)
        {
            output.WriteLine("  " + line);
        }

        Assert.True(unexplained.Count == 0, $"disagreements with {release} not explained in mutations.bt.txt (# disagree {release}: …):\n" + string.Join('\n', unexplained));
        Assert.True(agreement >= 0.95, $"agreement {agreement:P1} is below 95%");
    }
}
