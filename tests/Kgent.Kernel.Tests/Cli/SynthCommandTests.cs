using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Cli;

/// <summary><c>kgent synth</c> and <c>kgent config</c> in-process, with the offline retrieval model.</summary>
public sealed class SynthCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-synth-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Synth_prints_the_verified_program_and_writes_a_transcript()
    {
        var transcript = Path.Combine(directory, "transcript.json");

        var (code, output, error) = CliHarness.Run("synth", "count file opens by process", "--model", "offline", "--no-kernel",
            "--store", Path.Combine(directory, "store.db"), "--catalog", Catalogs.SnapshotPath, "--transcript", transcript);

        Assert.Equal(0, code);
        Assert.Contains("verified program (after 1 attempt):", output, StringComparison.Ordinal);
        Assert.Contains("tracepoint:syscalls:sys_enter_openat", output, StringComparison.Ordinal);
        Assert.Contains("added the 120 train examples", error, StringComparison.Ordinal);
        Assert.Contains("attempt 1/3: synthesis", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(transcript));
        Assert.True(json.RootElement.GetProperty("succeeded").GetBoolean());
        var attempt = json.RootElement.GetProperty("attempts")[0];
        Assert.Contains("Request: count file opens by process", attempt.GetProperty("prompt").GetString(), StringComparison.Ordinal);
        Assert.True(attempt.GetProperty("milliseconds").TryGetProperty("synthesis", out _));
    }

    [Fact]
    public void Synth_refuses_an_empty_request_and_an_unconfigured_model()
    {
        var (code, _, error) = CliHarness.Run("synth", " ", "--model", "offline", "--store", Path.Combine(directory, "s.db"), "--catalog", Catalogs.SnapshotPath);
        Assert.Equal(2, code);
        Assert.Contains("the request is empty", error, StringComparison.Ordinal);

        (code, _, error) = CliHarness.Run("synth", "count opens", "--model", "gpt-4o", "--store", Path.Combine(directory, "s.db"), "--catalog", Catalogs.SnapshotPath);
        if (Environment.GetEnvironmentVariable("KGENT_ENDPOINT") is null)
        {
            Assert.Equal(2, code);
            Assert.Contains("--model gpt-4o needs an endpoint", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Config_shows_the_offline_model_by_default()
    {
        var (code, output, _) = CliHarness.Run("config", "--json");

        using var json = JsonDocument.Parse(output);
        if (Environment.GetEnvironmentVariable("KGENT_ENDPOINT") is null && !File.Exists(json.RootElement.GetProperty("configFile").GetString()))
        {
            Assert.Equal(0, code);
            Assert.Equal("offline retrieval model", json.RootElement.GetProperty("model").GetString());
            Assert.Equal("(none)", json.RootElement.GetProperty("apiKey").GetString());
        }
    }
}
