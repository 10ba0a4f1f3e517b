using System.Diagnostics;
using System.Text.Json;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Kgent.Kernel.Tests.Fuzz;

/// <summary>The fuzz test grown to the command line: 5,000 mutated programs (the installed tools, Kgent's examples and the
/// symbolic verdict suite, mutated; one in ten random) through <c>check --json</c>, <c>symbex --json</c> and
/// <c>fmt --json</c> in-process. No command may report an internal error or exit with anything but 0, 1 or 2, and every
/// output must be valid JSON. The seed is fixed and the failing input is printed.</summary>
public sealed class CliFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261201;
    private const int Inputs = 5_000;
    private static readonly System.Text.UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-cli-fuzz-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Check_symbex_and_fmt_survive_mutated_programs_with_valid_json()
    {
        var corpus = Support.Corpus.InstalledToolPaths().Concat(Support.Corpus.ExamplePaths()).Select(File.ReadAllText)
            .Concat(SymbolicCases.Verdicts.Select(c => c.Program))
            .ToArray();
        Assert.NotEmpty(corpus);
        var random = new Random(Seed);
        var path = Path.Combine(directory, "fuzz.bt");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Inputs; i++)
        {
            var text = i % 10 == 9 ? ProgramMutator.RandomText(random) : ProgramMutator.Mutate(random, corpus);
            // A mutation can split a surrogate pair; the file gets U+FFFD for it, as an editor would write it.
            File.WriteAllText(path, text, Lenient);
            foreach (var command in new[]
                     {
                         new[] { "check", "--json", path, "--catalog", Catalogs.SnapshotPath },
                         ["symbex", "--json", path, "--catalog", Catalogs.SnapshotPath, "--budget", "2"],
                         ["fmt", "--json", path],
                     })
            {
                var (code, stdout, stderr) = CliHarness.Run(command);
                var what = $"input {i} (seed {Seed}): kgent {command[0]} --json exited {code}";
                if (code is not (0 or 1 or 2) || stderr.Contains("internal error", StringComparison.Ordinal))
                {
                    File.WriteAllText(Path.Combine(Path.GetTempPath(), "kgent-cli-fuzz-failure.bt"), text, Lenient);
                    throw new Xunit.Sdk.XunitException($"{what}\n{stderr}\ninput:\n{text}");
                }

                try
                {
                    using var json = JsonDocument.Parse(stdout);
                }
                catch (JsonException e)
                {
                    throw new Xunit.Sdk.XunitException($"{what} with invalid JSON ({e.Message}):\n{stdout}\ninput:\n{text}");
                }

                var key = $"{command[0]} exit {code}";
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }
        }

        output.WriteLine($"{Inputs} inputs (seed {Seed}) in {clock.Elapsed.TotalSeconds:F0} s: " +
            string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
        // The mutants must exercise both sides of each command, or the test proves little.
        Assert.True(outcomes.GetValueOrDefault("check exit 0") > 50 && outcomes.GetValueOrDefault("check exit 1") > 50, "too few clean or failing checks");
        Assert.True(outcomes.GetValueOrDefault("fmt exit 0") > 100, "too few programs formatted");
        Assert.True(outcomes.GetValueOrDefault("symbex exit 0") + outcomes.GetValueOrDefault("symbex exit 1") > 100, "too few verifications ran");
    }
}
