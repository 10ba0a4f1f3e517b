using System.Text.Json;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Jupyter;

/// <summary>Kgent's native Jupyter kernel as Jupyter drives it: jupyter_client starts the test build through a kernel
/// spec, and one script (Scripts/native_kernel.py) runs cells, asks for completions, interrupts a running synth through
/// the control channel and shuts the kernel down; each test reads its part of the report.</summary>
public sealed class NativeKernelTests : IClassFixture<NativeKernelTests.Session>
{
    private readonly Session session;

    public NativeKernelTests(Session session)
    {
        this.session = session;
    }

    public sealed class Session : IDisposable
    {
        private readonly string directory = Directory.CreateTempSubdirectory("kgent-native-kernel-").FullName;
        private readonly Lazy<JsonElement> report;

        public Session()
        {
            report = new Lazy<JsonElement>(() =>
            {
                var path = NativeKernelHost.WriteKernelSpec(directory);
                var script = Path.Combine(AppContext.BaseDirectory, "Jupyter", "Scripts", "native_kernel.py");
                var (exitCode, output) = NotebookHost.Run("/usr/bin/env", [$"JUPYTER_PATH={path}", "KGENT_CACHE=off", "/usr/bin/python3", script], TimeSpan.FromMinutes(5));
                Assert.True(exitCode == 0, output);
                return JsonDocument.Parse(output.Split('\n').Last(l => l.StartsWith('{'))).RootElement.Clone();
            });
        }

        public JsonElement Report => report.Value;

        public void Dispose() => Directory.Delete(directory, recursive: true);
    }

    private static string Text(JsonElement cell, string mime = "text/plain") => string.Concat(cell.GetProperty("outputs").EnumerateArray()
        .Where(o => o.GetProperty("type").GetString() is "execute_result" or "display_data")
        .Select(o => o.GetProperty("content").GetProperty("data").TryGetProperty(mime, out var v) ? v.GetString() : null));

    private static JsonElement? Error(JsonElement cell) => cell.GetProperty("outputs").EnumerateArray()
        .Where(o => o.GetProperty("type").GetString() == "error").Select(o => (JsonElement?)o.GetProperty("content")).FirstOrDefault();

    [NativeKernelFact]
    public void It_answers_kernel_info_in_the_messaging_protocol()
    {
        var info = session.Report.GetProperty("kernel_info");
        Assert.Equal("ok", info.GetProperty("status").GetString());
        Assert.Equal("5.3", info.GetProperty("protocol_version").GetString());
        Assert.Equal("kgent", info.GetProperty("implementation").GetString());
        Assert.Equal("kgent", info.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Contains("symbex", info.GetProperty("banner").GetString(), StringComparison.Ordinal);
    }

    [NativeKernelFact]
    public void A_stage_cell_shows_the_formatters_html_and_text_with_an_execution_count()
    {
        var check = session.Report.GetProperty("check");
        Assert.Equal("ok", check.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal(1, check.GetProperty("reply").GetProperty("execution_count").GetInt32());
        Assert.Contains("class='kg kgent-check'", Text(check, "text/html"), StringComparison.Ordinal);
        Assert.Contains("program 1, written in this cell", Text(check), StringComparison.Ordinal);
        // The misspelt field's did-you-mean, as the checker's formatter shows it.
        Assert.Contains("args-&gt;filename", Text(check, "text/html"), StringComparison.Ordinal);
        var result = check.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("type").GetString() == "execute_result");
        Assert.Equal(1, result.GetProperty("content").GetProperty("execution_count").GetInt32());

        // A stage line without #!kgent is the same cell.
        var config = session.Report.GetProperty("bare_stage");
        Assert.Equal(2, config.GetProperty("reply").GetProperty("execution_count").GetInt32());
        Assert.StartsWith("model: hangs at http://127.0.0.1:", Text(config, "text/markdown"), StringComparison.Ordinal);
    }

    [NativeKernelFact]
    public void An_option_no_stage_has_is_a_jupyter_error_that_lists_the_stages_options()
    {
        var cell = session.Report.GetProperty("unknown_option");
        Assert.Equal("error", cell.GetProperty("reply").GetProperty("status").GetString());
        var error = Error(cell) ?? throw new Xunit.Sdk.XunitException("no error output");
        Assert.Equal("KgentError", error.GetProperty("ename").GetString());
        Assert.Equal("#!kgent run has no option '--tirse'; its options: --duration, --workload", error.GetProperty("evalue").GetString());
        Assert.Equal(error.GetProperty("evalue").GetString(), Assert.Single(error.GetProperty("traceback").EnumerateArray()).GetString());
    }

    [NativeKernelFact]
    public void It_completes_stages_options_and_values()
    {
        var completions = session.Report.GetProperty("completions");
        string[] Matches(string code) => [.. completions.GetProperty(code).GetProperty("matches").EnumerateArray().Select(m => m.GetString()!)];
        Assert.Equal(["synth", "symbex"], Matches("#!kgent sy"));
        Assert.Equal(["--duration"], Matches("#!kgent run --d"));
        Assert.Equal(12, completions.GetProperty("#!kgent run --d").GetProperty("cursor_start").GetInt32());
        Assert.Equal(["1s", "3s", "5s", "10s"], Matches("#!kgent run --duration "));
        Assert.Equal(["synth"], Matches("syn"));
        Assert.Equal(["#!kgent"], Matches("#!"));

        // Once a cell has made the session, --hook offers the hooks that have contracts.
        Assert.Contains("tcp_connect", Matches("#!kgent contract --hook "));
        Assert.Contains("sock:inet_sock_set_state", Matches("#!kgent contract --hook "));
    }

    [NativeKernelFact]
    public void An_interrupt_on_the_control_channel_cancels_a_running_synth_and_the_kernel_keeps_serving()
    {
        Assert.Equal("ok", session.Report.GetProperty("interrupt_reply").GetProperty("status").GetString());
        var synth = session.Report.GetProperty("synth");
        Assert.Equal("error", synth.GetProperty("reply").GetProperty("status").GetString());
        var error = Error(synth) ?? throw new Xunit.Sdk.XunitException("no error output: " + synth);
        Assert.Equal("KeyboardInterrupt", error.GetProperty("ename").GetString());
        Assert.Equal("interrupted", error.GetProperty("evalue").GetString());
        Assert.True(synth.GetProperty("seconds_after_interrupt").GetDouble() < 30, synth.ToString());

        var after = session.Report.GetProperty("after_interrupt");
        Assert.Equal("ok", after.GetProperty("reply").GetProperty("status").GetString());
        Assert.True(session.Report.GetProperty("exited").GetBoolean(), "the kernel did not exit on shutdown_request");
    }

    /// <summary>After setup, Jupyter finds both kernels with no JUPYTER_PATH (as JupyterLab and VS Code's Jupyter extension
    /// do), and the native one starts this checkout's Kgent.</summary>
    [NotebookFact]
    public void Jupyter_finds_both_kernel_specs_without_jupyter_path()
    {
        var (exitCode, output) = NotebookHost.Run("/usr/bin/env", ["-u", "JUPYTER_PATH", "-u", "JUPYTER_DATA_DIR", "jupyter", "kernelspec", "list", "--json"], TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, $"jupyter kernelspec list failed (scripts/setup.sh installs jupyter-client): {output}");
        // The JSON object, without what Python writes to standard error around it.
        using var json = JsonDocument.Parse(output[output.IndexOf('{')..(output.LastIndexOf("\n}", StringComparison.Ordinal) + 2)]);
        var specs = json.RootElement.GetProperty("kernelspecs");
        Assert.True(specs.TryGetProperty(".net-csharp", out _), output);
        var kgent = specs.GetProperty("kgent").GetProperty("spec");
        Assert.Equal(Path.Combine(NotebookHost.Root, "kgent"), kgent.GetProperty("argv")[0].GetString());
        Assert.Equal("jupyter-kernel", kgent.GetProperty("argv")[1].GetString());
        Assert.Equal("message", kgent.GetProperty("interrupt_mode").GetString());
    }
}
