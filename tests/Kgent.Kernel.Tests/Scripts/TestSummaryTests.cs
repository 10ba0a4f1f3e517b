using System.Diagnostics;

namespace Kgent.Kernel.Tests.Scripts;

/// <summary>scripts/test-summary.sh, whose last line is CI's verdict: failures, missing projects and runs whose test
/// host crashed all count as failures (a crashed run's counters can show none).</summary>
public sealed class TestSummaryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-summary-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private void Trx(string name, string outcome, int passed, int failed) => File.WriteAllText(Path.Combine(directory, name + ".trx"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <ResultSummary outcome="{outcome}">
            <Counters total="{passed + failed}" executed="{passed + failed}" passed="{passed}" failed="{failed}" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
          </ResultSummary>
        </TestRun>
        """);

    private (int Code, string Output) Summarize(int expected)
    {
        var script = Path.Combine(Support.Corpus.RepositoryRoot, "scripts", "test-summary.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, directory, expected.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [Fact]
    public void A_completed_run_is_counted_as_it_is()
    {
        Trx("A", "Completed", 10, 0);
        Assert.Equal((0, "10 passed, 0 failed"), Summarize(1));
        Trx("B", "Failed", 3, 2);
        Assert.Equal((1, "13 passed, 2 failed"), Summarize(2));
    }

    [Fact]
    public void A_run_whose_host_crashed_is_a_failure_even_with_no_failed_test()
    {
        Trx("A", "Failed", 280, 0);
        var (code, output) = Summarize(1);
        Assert.Equal(1, code);
        Assert.EndsWith("280 passed, 1 failed", output, StringComparison.Ordinal);
        Assert.Contains("A: the test run did not complete", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_results_is_a_failure()
    {
        Trx("A", "Completed", 5, 0);
        Assert.Equal((1, "5 passed, 1 failed"), Summarize(2));
    }
}
