using System.Text.Json;
using Kgent.Kernel.Tests.Extension;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Jupyter;

/// <summary>The twins of the five notebooks (notebooks/kgent-kernel/), and the rules notebook (<see cref="NotebookRules"/>),
/// executed headless through Kgent's native kernel by scripts/notebooks.sh (jupyter nbconvert) into a temporary folder,
/// once for the tests that read them.</summary>
public sealed class ExecutedTwins : IDisposable
{
    public ExecutedTwins()
    {
        if (NotebookHost.MissingReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(OutputDirectory);
        var rules = NotebookRules.Write(Path.Combine(OutputDirectory, "sources", "kgent-kernel"), native: true);
        var (exitCode, output) = NotebookHost.Run(Path.Combine(NotebookHost.Root, "scripts", "notebooks.sh"),
            ["--out", OutputDirectory, "--portable", "--allow-errors", .. Names.Select(n => Path.Combine(Folder, n)), rules], TimeSpan.FromMinutes(10));
        Failure = exitCode == 0 ? null : $"scripts/notebooks.sh exited with {exitCode}:\n{output}";
    }

    public static string Folder => Path.Combine(NotebookHost.NotebooksDirectory, "kgent-kernel");

    public static string[] Names { get; } = Directory.GetFiles(Folder, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public string OutputDirectory { get; } = Path.Combine(Path.GetTempPath(), "kgent-twins-" + Guid.NewGuid().ToString("N")[..8]);

    public string? Failure { get; }

    public IReadOnlyList<ExecutedNotebooks.Cell> Cells(string name)
    {
        Assert.True(Failure is null, Failure);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory, name)));
        Assert.Equal("kgent", document.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("kgent", document.RootElement.GetProperty("metadata").GetProperty("language_info").GetProperty("name").GetString());
        return ExecutedNotebooks.CodeCells(document);
    }

    public void Dispose()
    {
        if (Directory.Exists(OutputDirectory))
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }
    }
}

[Collection(NotebookCollection.Name)]
public sealed class TwinNotebookTests(ExecutedTwins twins)
{
    public static TheoryData<string> Names => [.. ExecutedTwins.Names];

    [Fact]
    public void Every_notebook_has_a_twin_made_from_it()
    {
        Assert.Equal(ExecutedNotebooks.Names, ExecutedTwins.Names);
        var (exitCode, output) = NotebookHost.Run("/usr/bin/python3", [Path.Combine(NotebookHost.Root, "scripts", "twin-notebooks.py"), "--check"], TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, $"a twin differs from its notebook: run scripts/notebooks.sh (or scripts/twin-notebooks.py)\n{output}");
    }

    [NotebookTheory]
    [MemberData(nameof(Names))]
    public void Every_twin_runs_in_the_native_kernel_without_error_outputs(string name)
    {
        var cells = twins.Cells(name);
        Assert.NotEmpty(cells);
        var errors = cells.SelectMany(c => c.Outputs.Where(o => o.Type == "error").Select(o => $"{c.Source.Split('\n')[0]}: {o.Text}")).ToArray();
        Assert.True(errors.Length == 0, $"{name}: {string.Join("\n", errors)}");
        Assert.All(cells, c => Assert.StartsWith("#!kgent ", c.Source, StringComparison.Ordinal));
    }

    [NotebookTheory]
    [MemberData(nameof(Names))]
    public void Every_stage_cell_shows_its_formatters_html_in_the_native_kernel(string name)
    {
        foreach (var cell in twins.Cells(name))
        {
            if (NotebookTests.StageClass.TryGetValue(cell.Stage!, out var cls))
            {
                Assert.True(cls.Split('|').Any(c => cell.Html.Contains($"class='kg {c}'", StringComparison.Ordinal)),
                    $"{name}: `{cell.Source.Split('\n')[0]}` produced no {cls} element:\n{cell.Html}{cell.Plain}");
                Assert.NotEmpty(cell.Plain);
            }
            else
            {
                Assert.Equal("config", cell.Stage);
                Assert.Contains(cell.Outputs, o => o.Data.GetValueOrDefault("text/markdown", string.Empty).StartsWith("model:", StringComparison.Ordinal));
            }
        }
    }

    [NotebookFact]
    public void The_twins_show_what_the_notebooks_show()
    {
        // The quickstart's case study verifies in both kernels; the same HTML comes from the same views.
        var synth = twins.Cells("01-quickstart.ipynb").Single(c => c.Stage == "synth");
        Assert.Contains("kg-badge kg-ok'>verified", synth.Html, StringComparison.Ordinal);
        Assert.Contains("tracepoint:sock:inet_sock_set_state", synth.Plain, StringComparison.Ordinal);
        var contracts = twins.Cells("03-contracts.ipynb").Where(c => c.Stage == "symbex").ToArray();
        Assert.Contains(contracts, c => c.Html.Contains("kg-badge kg-bad", StringComparison.Ordinal));
        Assert.Contains(contracts, c => c.Html.Contains("kg-badge kg-ok'>verified", StringComparison.Ordinal));
    }

    [Fact]
    public void The_committed_twins_carry_the_outputs_of_a_run_and_are_portable()
    {
        foreach (var name in ExecutedTwins.Names)
        {
            var text = File.ReadAllText(Path.Combine(ExecutedTwins.Folder, name));
            using var document = JsonDocument.Parse(text);
            var code = document.RootElement.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code").ToArray();
            Assert.All(code, c => Assert.NotEqual(0, c.GetProperty("outputs").GetArrayLength()));
            Assert.DoesNotContain(code.SelectMany(c => c.GetProperty("outputs").EnumerateArray()), o => o.GetProperty("output_type").GetString() == "error");
            Assert.True(text.Length < 500_000, $"{name} is {text.Length:N0} characters");
            Assert.DoesNotContain(NotebookHost.Root, text, StringComparison.Ordinal);
            Assert.DoesNotContain("/root/", text, StringComparison.Ordinal);
        }
    }

    [NotebookTheory]
    [MemberData(nameof(Names))]
    public void Running_a_twin_again_changes_only_its_timings(string name)
    {
        _ = twins.Cells(name);
        NotebookTests.AssertSameBeyondTimings(name, Path.Combine(ExecutedTwins.Folder, name), Path.Combine(twins.OutputDirectory, name));
    }
}
