using System.Text.Json;
using Kgent.Cli;
using Kgent.Cli.Output;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary><c>kgent check</c>, <c>kgent probes</c> and <c>kgent catalog</c> in-process, against the checked-in snapshot.</summary>
public sealed class KernelCommandsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-cli-kernel-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Check_points_at_the_misspelled_event_with_a_suggestion()
    {
        var path = Write("typo.bt", "tracepoint:syscalls:sys_enter_opennat\n{\n  @c[comm] = count();\n}\n");
        var (code, output, _) = Run("check", path, "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(1, code);
        Assert.Contains($"{path}:1:21: error KG2001: tracepoint 'syscalls:sys_enter_opennat' does not exist on this kernel", output, StringComparison.Ordinal);
        Assert.Contains("did you mean 'tracepoint:syscalls:sys_enter_openat'?", output, StringComparison.Ordinal);
        Assert.Contains("^~~~", output, StringComparison.Ordinal);
        Assert.Contains("1 error, 0 warnings", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_json_lists_located_diagnostics_and_the_catalog()
    {
        var path = Write("fields.bt", "tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", args->filenam); }\n");
        var (code, output, _) = Run("check", path, "--catalog", Catalogs.SnapshotPath, "--json");
        Assert.Equal(1, code);
        using var document = JsonDocument.Parse(output);
        var diagnostic = document.RootElement.GetProperty("files")[0].GetProperty("diagnostics")[0];
        Assert.Equal("KG2201", diagnostic.GetProperty("code").GetString());
        Assert.Equal("did you mean 'args->filename'?", diagnostic.GetProperty("hint").GetString());
        Assert.Equal(1, diagnostic.GetProperty("line").GetInt32());
        Assert.StartsWith("snapshot ", document.RootElement.GetProperty("catalog").GetString());
    }

    [Fact]
    public void Check_refuses_unsafe_functions_unless_allowed()
    {
        var path = Write("unsafe.bt", "tracepoint:syscalls:sys_enter_openat { system(\"echo %d\", pid); }\n");
        var (refused, output, _) = Run("check", path, "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(1, refused);
        Assert.Contains("error KG3001", output, StringComparison.Ordinal);

        var (allowed, allowedOutput, _) = Run("check", path, "--catalog", Catalogs.SnapshotPath, "--allow-unsafe", "system");
        Assert.Equal(0, allowed);
        Assert.Contains("warning KG3003", allowedOutput, StringComparison.Ordinal);

        // Allowing another builtin does not allow this one, and a bare flag names nothing.
        var (other, otherOutput, _) = Run("check", path, "--catalog", Catalogs.SnapshotPath, "--allow-unsafe", "cat");
        Assert.Equal(1, other);
        Assert.Contains("error KG3001", otherOutput, StringComparison.Ordinal);
        var (bare, _, bareError) = Run("check", "--allow-unsafe", path, "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(2, bare);
        Assert.Contains("--allow-unsafe takes the builtins to allow (e.g. --allow-unsafe cat), not a file", bareError, StringComparison.Ordinal);
        var (typo, _, typoError) = Run("check", path, "--allow-unsafe", "sytem");
        Assert.Equal(2, typo);
        Assert.Contains("'sytem' is not an unsafe builtin; did you mean 'system'?", typoError, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_passes_the_bundled_example()
    {
        var (code, output, _) = Run("check", Path.Combine(Support.Corpus.RepositoryRoot, "examples", "tcp_connect.bt"), "--catalog", Catalogs.SnapshotPath);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Probes_host_from_a_snapshot_explains_missing_kprobes()
    {
        var (code, output, _) = Run("probes", "--host", "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(0, code);
        Assert.Matches(@"kprobe\s+no\s+this kernel has no kprobe_events", output);
        Assert.Matches(@"tracepoint\s+yes", output);
    }

    [Fact]
    public void Probes_lists_with_wildcards_and_fields()
    {
        var (code, output, _) = Run("probes", "-v", "tracepoint:sock:inet_sock_set_*", "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(0, code);
        Assert.Contains("tracepoint:sock:inet_sock_set_state\n    const void * skaddr\n", output, StringComparison.Ordinal);

        var (none, _, error) = Run("probes", "kprobe:tcp_connect", "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(1, none);
        Assert.Contains("--all", error, StringComparison.Ordinal);
        var (all, allOutput, _) = Run("probes", "--all", "kprobe:tcp_connect", "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(0, all);
        Assert.Equal("kprobe:tcp_connect", allOutput.Trim());
    }

    [Fact]
    public void A_bad_catalog_path_is_one_clear_line()
    {
        var (code, _, error) = Run("check", Write("x.bt", "BEGIN { exit(); }\n"), "--catalog", Path.Combine(directory, "nope.kgcat"));
        Assert.Equal(2, code);
        Assert.Contains("kgent catalog export", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
