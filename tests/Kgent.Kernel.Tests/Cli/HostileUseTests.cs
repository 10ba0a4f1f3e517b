using System.Diagnostics;
using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary>The command line used the way a careless user or an attacker would: unknown options, out-of-range numbers,
/// special files as outputs, missing folders, a store that does not exist, secrets in the environment and in replies.
/// Every case ends in one clear error line (exit 2) or the documented behaviour, never a stack trace.</summary>
[Collection(KernelCollection.Name)]
public sealed class HostileUseTests : IDisposable
{
    private const string Key = "sk-kgent-test-9f2c61d0e4b7a835";
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-hostile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Program(string name = "p.bt", string text = "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }\n")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertClean(string error)
    {
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("check")]
    [InlineData("parse")]
    [InlineData("fmt")]
    [InlineData("symbex")]
    [InlineData("run")]
    public void An_unknown_option_is_named_not_taken_for_a_file(string command)
    {
        var (code, _, error) = CliHarness.Run(command, "--frob", Program());

        Assert.Equal(2, code);
        Assert.Contains($"kgent {command}: error: unknown option '--frob'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("p.bt", error.Split('\n')[0], StringComparison.Ordinal);
        AssertClean(error);
    }

    [Fact]
    public void A_misspelt_option_gets_a_did_you_mean()
    {
        var (code, _, error) = CliHarness.Run("check", "--jsn", Program());

        Assert.Equal(2, code);
        Assert.Contains("unknown option '--jsn'; did you mean '--json'?", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify", "--timeout", "-1", "--timeout -1 is out of range: give 1 to 3,600 seconds")]
    [InlineData("verify", "--timeout", "0", "--timeout 0 is out of range")]
    [InlineData("run", "--timeout", "99999", "--timeout 99999 is out of range")]
    [InlineData("run", "--max-events", "0", "--max-events 0 is out of range")]
    [InlineData("symbex", "--loop-bound", "-3", "--loop-bound -3 is out of range")]
    [InlineData("symbex", "--budget", "0", "--budget 0 is out of range")]
    public void Numeric_options_are_range_checked(string command, string option, string value, string expected)
    {
        var (code, _, error) = CliHarness.Run(command, Program(), option, value);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        AssertClean(error);
    }

    [Fact]
    public void Listing_or_searching_a_missing_store_does_not_create_it()
    {
        var store = Path.Combine(directory, "typo.db");

        var (code, _, error) = CliHarness.Run("examples", "list", "--store", store);
        Assert.Equal(2, code);
        Assert.Contains($"there is no example store at {store}", error, StringComparison.Ordinal);
        (code, _, error) = CliHarness.Run("examples", "search", "count opens", "--store", store);
        Assert.Equal(2, code);

        Assert.False(File.Exists(store));
        Assert.Empty(Directory.GetFiles(directory, "typo.db*"));
    }

    [Fact]
    public void Smt2_into_an_existing_file_is_a_clear_error()
    {
        var file = Program("queries.txt", "not a folder");
        var (code, _, error) = CliHarness.Run("symbex", Program(text: "BEGIN { assert(1 == 1); }"), "--smt2", file);

        Assert.Equal(2, code);
        Assert.Contains("--smt2 names a folder to write the queries into, but", error, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(file));
        AssertClean(error);
    }

    [Fact]
    public void A_transcript_in_a_missing_folder_is_refused_before_any_work()
    {
        var (code, _, error) = CliHarness.Run("synth", "count file opens by process", "--model", "offline", "--no-kernel",
            "--store", Path.Combine(directory, "s.db"), "--catalog", Catalogs.SnapshotPath, "--transcript", "/missing/dir/t.json");

        Assert.Equal(2, code);
        Assert.Contains("--transcript: cannot write /missing/dir/t.json: the folder /missing/dir does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 1/3", error, StringComparison.Ordinal);
        AssertClean(error);
    }

    [RootFact]
    public void Exporting_the_catalog_onto_a_device_is_refused_and_the_device_stays()
    {
        var device = Path.Combine(directory, "full");
        Shell.Run($"mknod '{device}' c 1 7");

        var (code, output, error) = CliHarness.Run("catalog", "export", device);

        Assert.Equal(2, code);
        Assert.Contains("is a character device", error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrote", output, StringComparison.Ordinal);
        Assert.StartsWith("character special file", Shell.Run($"stat -c %F '{device}'"), StringComparison.Ordinal);
    }

    [Fact]
    public void Fmt_write_through_a_symlink_rewrites_the_target_and_refuses_a_setuid_file()
    {
        var target = Program("real.bt", "BEGIN{printf(\"x\\n\");}\n");
        var link = Path.Combine(directory, "link.bt");
        File.CreateSymbolicLink(link, target);
        var (_, canonical, _) = CliHarness.Run("fmt", target);

        var (code, _, error) = CliHarness.Run("fmt", "--write", link);

        Assert.Equal(0, code);
        Assert.Equal(canonical, File.ReadAllText(target));
        Assert.NotEqual("BEGIN{printf(\"x\\n\");}\n", canonical);
        Assert.Equal(target, new FileInfo(link).LinkTarget);

        var setuid = Program("setuid.bt", "BEGIN{printf(\"x\\n\");}\n");
        Shell.Run($"chmod 04750 '{setuid}'");
        (code, _, error) = CliHarness.Run("fmt", "--write", setuid);
        Assert.Equal(1, code);
        Assert.Contains("set-user-ID", error, StringComparison.Ordinal);
        Assert.Contains("(the file is unchanged)", error, StringComparison.Ordinal);
        Assert.Equal("BEGIN{printf(\"x\\n\");}\n", File.ReadAllText(setuid));
        Assert.Equal("4750", Shell.Run($"stat -c %a '{setuid}'"));
    }

    [Fact]
    public void Programs_are_read_bounded_and_devices_are_not_read()
    {
        var (code, _, error) = CliHarness.Run("check", "/dev/zero", "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(1, code);
        Assert.Contains("cannot read '/dev/zero': it is a character device, not a program file", error, StringComparison.Ordinal);

        var huge = Path.Combine(directory, "huge.bt");
        using (var file = File.Create(huge))
        {
            file.SetLength(Kgent.Kernel.Safety.ProgramFile.MaxBytes + 1);
        }

        (code, _, error) = CliHarness.Run("parse", huge);
        Assert.Equal(1, code);
        Assert.Contains("is larger than 4 MiB", error, StringComparison.Ordinal);
    }

    [BpftraceFact]
    public void Children_never_see_the_api_key_or_variables_marked_secret()
    {
        var environment = Path.Combine(directory, "workload-environment.txt");
        var program = Program();
        using var kgent = KgentProcess.Start(["run", program, "--duration", "10s", "--workload", $"env > {environment}; sleep 1"],
            new Dictionary<string, string?>
            {
                ["KGENT_API_KEY"] = Key,
                ["KGENT_SECRET_VARIABLES"] = "KGENT_TEST_TOKEN",
                ["KGENT_TEST_TOKEN"] = "token-0b1c2d3e4f",
                ["KGENT_TEST_VISIBLE"] = "visible-to-children",
                ["KGENT_RUN_DIR"] = Path.Combine(directory, "run"),
            });
        string? bpftraceEnvironment = null;
        var clock = Stopwatch.StartNew();
        while (!kgent.Process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var tree = new ProcessTree(kgent.Pid);
            tree.Poll();
            foreach (var (process, comm) in tree.Descendants.Where(d => d.Value == "bpftrace"))
            {
                try
                {
                    bpftraceEnvironment ??= File.ReadAllText($"/proc/{process.Pid}/environ").Replace('\0', '\n');
                }
                catch (IOException)
                {
                }
            }

            Thread.Sleep(20);
        }

        Assert.True(kgent.WaitForExit(TimeSpan.FromSeconds(30)), kgent.Stderr);
        Assert.Equal(0, kgent.Process.ExitCode);
        var seen = File.ReadAllText(environment);
        Assert.Contains("KGENT_TEST_VISIBLE=visible-to-children", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("KGENT_API_KEY", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, seen, StringComparison.Ordinal);
        Assert.DoesNotContain("KGENT_TEST_TOKEN=", seen, StringComparison.Ordinal);
        Assert.NotNull(bpftraceEnvironment);
        Assert.Contains("KGENT_TEST_VISIBLE", bpftraceEnvironment, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, bpftraceEnvironment, StringComparison.Ordinal);
        Assert.DoesNotContain("token-0b1c2d3e4f", bpftraceEnvironment, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_that_echoes_the_key_is_scrubbed_from_the_output_the_transcript_and_the_store()
    {
        using var server = new OpenAiStubServer();
        var echo = $"Your key is {Key}.\n```bpftrace\nBEGIN {{ printf(\"{Key}\\n\"); }}\n```";
        for (var i = 0; i < 4; i++)
        {
            server.Then(OpenAiStubServer.Reply(echo));
        }

        var transcript = Path.Combine(directory, "t.json");
        var store = Path.Combine(directory, "store.db");
        var (code, output, error) = KgentProcess.Run(["synth", "print a greeting", "--no-kernel", "--store", store, "--transcript", transcript, "--tries", "1"],
            new Dictionary<string, string?> { ["KGENT_ENDPOINT"] = server.Endpoint, ["KGENT_MODEL"] = "stub", ["KGENT_API_KEY"] = Key });

        Assert.True(code is 0 or 1, error);
        Assert.DoesNotContain(Key, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, File.ReadAllText(transcript), StringComparison.Ordinal);
        Assert.Contains("[secret]", File.ReadAllText(transcript), StringComparison.Ordinal);
        using var examples = Kgent.Kernel.Examples.ExampleStore.Open(store);
        Assert.DoesNotContain(examples.List(0, 1000), e => e.Program.Contains(Key, StringComparison.Ordinal) || e.Request.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public void A_provider_failure_still_writes_the_transcript()
    {
        using var server = new OpenAiStubServer();
        server.Then(new StubAnswer(500, RetryAfterSeconds: 0, Body: "{\"error\":\"boom\"}"));
        var transcript = Path.Combine(directory, "failed.json");

        var (code, _, error) = KgentProcess.Run(["synth", "count file opens by process", "--no-kernel", "--store", Path.Combine(directory, "s.db"), "--transcript", transcript],
            new Dictionary<string, string?> { ["KGENT_ENDPOINT"] = server.Endpoint, ["KGENT_MODEL"] = "stub", ["KGENT_API_KEY"] = Key, ["KGENT_MAX_RETRIES"] = "0" });

        Assert.Equal(2, code);
        Assert.Contains("kept failing with 500", error, StringComparison.Ordinal);
        Assert.Contains($"the transcript up to the failure is in {transcript}", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(transcript));
        Assert.Contains("kept failing with 500", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        var attempt = json.RootElement.GetProperty("attempts")[0];
        Assert.Equal("model provider", attempt.GetProperty("failedStage").GetString());
        Assert.Contains("Request: count file opens by process", attempt.GetProperty("prompt").GetString(), StringComparison.Ordinal);
        AssertClean(error);
    }
}
