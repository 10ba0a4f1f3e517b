using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary><c>kgent examples list|add|import|search</c>, in-process, on a temporary store.</summary>
public sealed class ExamplesCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-examples-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Store => Path.Combine(directory, "store.db");

    [Fact]
    public void Add_search_and_list()
    {
        var program = Path.Combine(directory, "opens.bt");
        File.WriteAllText(program, "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n");

        var (code, output, _) = CliHarness.Run("examples", "add", program, "--request", "count file opens by process", "--store", Store);
        Assert.Equal(0, code);
        Assert.Contains("example 1", output, StringComparison.Ordinal);

        (code, output, _) = CliHarness.Run("examples", "search", "which process opens files", "--store", Store, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var match = json.RootElement.GetProperty("matches")[0].GetProperty("example");
        Assert.Equal("count file opens by process", match.GetProperty("request").GetString());
        Assert.StartsWith("user:", match.GetProperty("source").GetString(), StringComparison.Ordinal);

        (code, output, _) = CliHarness.Run("examples", "list", "--store", Store);
        Assert.Equal(0, code);
        Assert.Contains("1 examples in", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_refuses_a_program_with_syntax_errors_and_an_empty_request()
    {
        var broken = Path.Combine(directory, "broken.bt");
        File.WriteAllText(broken, "BEGIN { @x = ; }\n");

        var (code, _, error) = CliHarness.Run("examples", "add", broken, "--request", "something", "--store", Store);
        Assert.Equal(1, code);
        Assert.Contains("fix its syntax errors first", error, StringComparison.Ordinal);

        (code, _, error) = CliHarness.Run("examples", "add", broken, "--request", "  ", "--store", Store);
        Assert.Equal(1, code);
        Assert.Contains("--request must describe", error, StringComparison.Ordinal);
    }

    [InstalledToolsFact]
    public void Import_installed_tools_then_search_them()
    {
        var (code, output, _) = CliHarness.Run("examples", "import", Support.Corpus.InstalledToolsDirectory, "--store", Store);
        Assert.Equal(0, code);
        Assert.Matches(@"imported \d+ new of \d+ tools", output);

        (code, output, _) = CliHarness.Run("examples", "search", "TCP connect", "--store", Store, "-k", "1");
        Assert.Equal(0, code);
        Assert.Contains("tcpconnect.bt", output, StringComparison.Ordinal);

        (code, output, _) = CliHarness.Run("examples", "import", Support.Corpus.InstalledToolsDirectory, "--store", Store);
        Assert.Contains("imported 0 new", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_the_libbpf_c_examples_once()
    {
        var folder = Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "libbpf-examples");

        var (code, output, _) = CliHarness.Run("examples", "import", folder, "--store", Store);
        var (again, second, _) = CliHarness.Run("examples", "import", folder, "--store", Store);

        Assert.Equal(0, code);
        Assert.Matches(@"^imported (\d+) new of \1 libbpf C examples from .* \((\d+) examples in .*, \2 of them C\)", output.Trim());
        Assert.True(int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"imported (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 30);
        Assert.Equal(0, again);
        Assert.Contains("imported 0 new", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Unusable_store_and_empty_queries_are_clear_errors()
    {
        File.WriteAllText(Store, new string('x', 4096));
        var (code, _, error) = CliHarness.Run("examples", "list", "--store", Store);
        Assert.Equal(2, code);
        Assert.Contains("cannot open the example store", error, StringComparison.Ordinal);

        (code, _, error) = CliHarness.Run("examples", "search", "?!", "--store", Path.Combine(directory, "other.db"));
        Assert.Equal(1, code);
        Assert.Contains("has no words to search for", error, StringComparison.Ordinal);
    }
}
