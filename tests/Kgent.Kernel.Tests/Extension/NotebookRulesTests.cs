using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Extension;

/// <summary>The notebook rules a user can predict, each held by one test in a real Jupyter kernel: the .NET Interactive
/// one (<see cref="NotebookRulesTests"/>) and Kgent's native one (<see cref="NativeNotebookRulesTests"/>). A fixture runs
/// <see cref="Sources"/> as one notebook (with the project's own notebooks, through scripts/notebooks.sh) and each test
/// reads its cells' outputs.</summary>
public abstract class NotebookRules
{
    public const string Name = "rules.ipynb";

    private const string ProgramA = "tracepoint:syscalls:sys_enter_openat { @rule_a_opens = count(); }";
    private const string ProgramB = "tracepoint:syscalls:sys_enter_openat /comm == \"cat\"/ { @rule_b_opens = count(); }";
    private const string ProgramC = "tracepoint:syscalls:sys_enter_close /comm == \"cat\"/ { @rule_c_closes = count(); }";

    /// <summary>The cells, in order; the tests name them by index.</summary>
    public static readonly string[] Sources =
    [
        "#r \"nuget: Kgent.Extension, 0.1.0\"",
        $"#!kgent check\n\n{ProgramA}",                                         // 1: program 1
        $"#!kgent verify\n\n{ProgramB}",                                        // 2: verify with a body: program 2 is current
        "#!kgent run --duration 1s --workload \"cat /etc/hostname\"",           // 3: a bare run runs program 2
        $"#!kgent run --duration 1s --workload \"cat /etc/hostname\"\n\n{ProgramC}", // 4: run with a body: program 3
        "#!kgent verify",                                                       // 5: a bare verify verifies program 3
        "#!kgent",                                                              // 6: bare: an error
        $"#!kgent\n\n{ProgramA}",                                               // 7: bare with a body: an error too
        "#!kgent check --duration 3s",                                          // 8: another stage's option
        "#!kgent run --tirse 2",                                                // 9: no stage's option
        "#!kgent contract sock:inet_sock_set_state\n\n- tracepoint: sock:inet_sock_set_state\n  summary: broken on purpose\n  pre:\n    - args->skaddr != \n    - args->family == AF_INET",
        $"#!kgent check\n\n{ProgramA}",                                         // 11: program 1 again keeps its number
    ];

    /// <summary>Writes the rules notebook into <paramref name="directory"/> and returns its path: for the .NET Interactive
    /// kernel, or for the native one (which has nothing to load: its first cell is a config cell, so the cells keep their
    /// numbers). scripts/notebooks.sh runs a notebook in a folder named kgent-kernel in the native kernel.</summary>
    public static string Write(string directory, bool native = false)
    {
        Directory.CreateDirectory(directory);
        string[] sources = native ? ["#!kgent config", .. Sources[1..]] : Sources;
        var kernelspec = native
            ? new Dictionary<string, string> { ["name"] = "kgent", ["display_name"] = "Kgent", ["language"] = "kgent" }
            : new Dictionary<string, string> { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" };
        var cells = sources.Select((source, i) => new Dictionary<string, object?>
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"rule{i}", ["metadata"] = new Dictionary<string, object>(),
            ["outputs"] = Array.Empty<object>(), ["source"] = source,
        });
        var path = Path.Combine(directory, Name);
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cells"] = cells,
            ["metadata"] = new Dictionary<string, object> { ["kernelspec"] = kernelspec },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }));
        return path;
    }

    /// <summary>The rules notebook's cells as the kernel under test ran them.</summary>
    protected abstract IReadOnlyList<ExecutedNotebooks.Cell> Executed();

    /// <summary>What the kernel shows for an option no stage has (cell 9).</summary>
    protected abstract void AssertUnknownOption(string error, ExecutedNotebooks.Cell cell);

    private IReadOnlyList<ExecutedNotebooks.Cell> Cells()
    {
        var cells = Executed();
        Assert.Equal(Sources.Length, cells.Count);
        return cells;
    }

    protected static string Error(ExecutedNotebooks.Cell cell) =>
        string.Concat(cell.Outputs.Where(o => o.Type == "error").Select(o => o.Text));

    [NotebookFact]
    public void Every_stage_given_a_body_makes_that_program_the_current_one()
    {
        var cells = Cells();

        // verify with a body, then a bare run: the run is of the verified program, not of the one checked before it.
        Assert.Contains("kg kgent-verify", cells[2].Html, StringComparison.Ordinal);
        Assert.Contains("@rule_b_opens", cells[3].Html, StringComparison.Ordinal);
        Assert.DoesNotContain("@rule_a_opens", cells[3].Html, StringComparison.Ordinal);

        // run with a body, then a bare verify: the verify is of the program the run used.
        Assert.Contains("@rule_c_closes", cells[4].Html, StringComparison.Ordinal);
        Assert.Contains("sys_enter_close", cells[5].Html, StringComparison.Ordinal);
        Assert.DoesNotContain("sys_enter_openat", cells[5].Html, StringComparison.Ordinal);
    }

    [NotebookFact]
    public void Each_result_names_the_program_it_used()
    {
        var cells = Cells();
        Assert.Contains("program 1, written in this cell", cells[1].Plain, StringComparison.Ordinal);
        Assert.Contains("program 2, written in this cell", cells[2].Plain, StringComparison.Ordinal);
        Assert.Contains("program 2, the current program (written in a cell)", cells[3].Plain, StringComparison.Ordinal);
        Assert.Contains("program 3, written in this cell", cells[4].Plain, StringComparison.Ordinal);
        Assert.Contains("program 3, the current program (written in a cell)", cells[5].Plain, StringComparison.Ordinal);
        Assert.Contains("program 1, written in this cell", cells[11].Plain, StringComparison.Ordinal);
        Assert.Contains("class='kg-program-name'", cells[5].Html, StringComparison.Ordinal);
    }

    [NotebookFact]
    public void A_bare_kgent_cell_is_an_error()
    {
        var cells = Cells();
        foreach (var cell in new[] { cells[6], cells[7] })
        {
            Assert.Contains("name a stage after #!kgent", Error(cell), StringComparison.Ordinal);
            Assert.Contains("check", Error(cell), StringComparison.Ordinal);
            Assert.DoesNotContain("kg kgent-check", cell.Html, StringComparison.Ordinal);
        }
    }

    [NotebookFact]
    public void An_unknown_or_foreign_option_is_an_error_that_lists_the_stages_options()
    {
        var cells = Cells();
        var foreign = Error(cells[8]);
        Assert.Contains("'--duration'", foreign, StringComparison.Ordinal);
        Assert.Contains("belongs to run", foreign, StringComparison.Ordinal);
        Assert.Contains("its options: none", foreign, StringComparison.Ordinal);
        Assert.DoesNotContain("kg kgent-check", cells[8].Html, StringComparison.Ordinal);

        var unknown = Error(cells[9]);
        Assert.Contains("'--tirse'", unknown, StringComparison.Ordinal);
        Assert.DoesNotContain("kg kgent-run", cells[9].Html, StringComparison.Ordinal);
        AssertUnknownOption(unknown, cells[9]);
    }

    [NotebookFact]
    public void Line_numbers_in_a_contract_cell_are_the_cells_own()
    {
        var cells = Cells();

        // The broken precondition is on the cell's sixth line (the #!kgent line is the first).
        var error = Error(cells[10]);
        Assert.Contains("cell:6:", error, StringComparison.Ordinal);
        Assert.Equal("    - args->skaddr != ", Sources[10].Split('\n')[5]);
    }
}

/// <summary>The rules in the .NET Interactive kernel.</summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookRulesTests(ExecutedNotebooks notebooks) : NotebookRules
{
    protected override IReadOnlyList<ExecutedNotebooks.Cell> Executed() => notebooks.Cells(Name);

    /// <remarks>.NET Interactive's own directive parser refuses an option no stage has before any extension code runs
    /// (its parse precedes every middleware): an error naming the option and its column.</remarks>
    protected override void AssertUnknownOption(string error, ExecutedNotebooks.Cell cell) =>
        Assert.Contains("(1,13)", error, StringComparison.Ordinal);
}

/// <summary>The rules in Kgent's native kernel, where an option no stage has is Kgent's own error too.</summary>
[Collection(NotebookCollection.Name)]
public sealed class NativeNotebookRulesTests(Kgent.Kernel.Tests.Jupyter.ExecutedTwins twins) : NotebookRules
{
    protected override IReadOnlyList<ExecutedNotebooks.Cell> Executed() => twins.Cells(Name);

    protected override void AssertUnknownOption(string error, ExecutedNotebooks.Cell cell) =>
        Assert.Equal("#!kgent run has no option '--tirse'; its options: --duration, --workload", error);
}
