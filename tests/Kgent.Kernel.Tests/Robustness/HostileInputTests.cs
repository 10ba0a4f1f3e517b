using System.Text.Json;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Kgent.Kernel.Tests.Robustness;

/// <summary>The hostile corpus (<see cref="HostileCorpus"/>, every program at least 100 KB) through every command that reads
/// a program — parse, parse --ast, check, fmt, strip, symbex, text and JSON — in-process on a thread with a 1 MiB stack
/// (smaller than .NET's default for threads): no command crashes or reports an internal error, each exits 0, 1 or 2,
/// each writes less than 1 MB, and every JSON output parses.</summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private const int OutputLimit = 1024 * 1024;
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-hostile-input-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> Names() => [.. HostileCorpus.Programs().Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void No_command_crashes_floods_or_writes_invalid_json(string name)
    {
        var text = HostileCorpus.Programs().Single(p => p.Name == name).Text;
        Assert.True(text.Length >= HostileCorpus.MinimumSize, $"{name} is only {text.Length} bytes");
        var path = Path.Combine(directory, name + ".bt");
        File.WriteAllText(path, text);
        string[][] commands =
        [
            ["parse", path], ["parse", "--ast", path], ["parse", "--json", "--ast", path],
            ["check", path, "--catalog", Catalogs.SnapshotPath], ["check", "--json", path, "--catalog", Catalogs.SnapshotPath],
            ["fmt", path], ["fmt", "--json", path], ["strip", path],
            ["symbex", path, "--catalog", Catalogs.SnapshotPath, "--budget", "3"], ["symbex", "--json", path, "--catalog", Catalogs.SnapshotPath, "--budget", "3"],
        ];

        foreach (var command in commands)
        {
            var (code, stdout, stderr) = OnSmallStack(() => CliHarness.Run(command));
            var what = $"kgent {string.Join(' ', command.Select(a => a == path ? name + ".bt" : a == Catalogs.SnapshotPath ? "CATALOG" : a))}";
            output.WriteLine($"{what}: exit {code}, {stdout.Length + stderr.Length:N0} characters");
            Assert.True(code is 0 or 1 or 2, $"{what} exited {code}:\n{Head(stderr)}");
            Assert.DoesNotContain("internal error", stderr, StringComparison.Ordinal);
            Assert.True(stdout.Length + stderr.Length < OutputLimit, $"{what} wrote {stdout.Length + stderr.Length:N0} characters");
            if (command.Contains("--json"))
            {
                using var json = JsonDocument.Parse(stdout);
            }
        }
    }

    /// <summary>Runs on a thread with a 1 MiB stack, so a recursion the limits should have stopped overflows here first.</summary>
    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new Xunit.Sdk.XunitException($"threw {failure}");
    }

    private static string Head(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
