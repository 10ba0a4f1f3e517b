using System.Diagnostics;
using System.Text.Json;
using Kgent.Kernel.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Kgent.Kernel.Tests.Mcp;

/// <summary><c>kgent mcp</c> as a coding agent meets it: the real command line as a child process, driven over stdio by
/// the ModelContextProtocol package's own client.</summary>
[Collection(KernelCollection.Name)]
public sealed class McpServerTests : IDisposable
{
    private static readonly string[] ToolNames =
        ["check", "list_probes", "probe_support", "run", "search_examples", "show_contract", "symbolic_verify", "synth", "verify"];

    private readonly string directory = Directory.CreateTempSubdirectory("kgent-mcp-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task<McpClient> Connect(params string[] arguments)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "kgent",
            Command = "dotnet",
            Arguments = [KgentProcess.CliPath, "mcp", .. arguments],
            EnvironmentVariables = new Dictionary<string, string?> { ["KGENT_CACHE"] = "off" },
        });
        return await McpClient.CreateAsync(transport);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static JsonElement Structured(CallToolResult result) => result.StructuredContent ?? throw new Xunit.Sdk.XunitException("no structured content: " + Text(result));

    [Fact]
    public async Task Initialize_names_the_server_and_lists_every_tool_with_its_parameters()
    {
        await using var client = await Connect("--catalog", Catalogs.SnapshotPath);

        Assert.Equal("kgent", client.ServerInfo?.Name);
        Assert.Contains("probe_support", client.ServerInstructions ?? string.Empty, StringComparison.Ordinal);
        var tools = await client.ListToolsAsync();
        Assert.Equal(ToolNames, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tools, t => Assert.False(string.IsNullOrWhiteSpace(t.Description), t.Name));
        var run = tools.Single(t => t.Name == "run").ProtocolTool;
        var properties = run.InputSchema.GetProperty("properties");
        Assert.True(properties.TryGetProperty("program", out _));
        Assert.True(properties.TryGetProperty("workload", out _));
        Assert.True(properties.TryGetProperty("seconds", out _));
        Assert.Equal(["program"], run.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(tools.Single(t => t.Name == "check").ProtocolTool.Annotations?.ReadOnlyHint);
    }

    [Fact]
    public async Task Check_returns_a_broken_programs_diagnostics_with_codes_lines_and_hints()
    {
        await using var client = await Connect("--catalog", Catalogs.SnapshotPath);

        var result = await client.CallToolAsync("check", new Dictionary<string, object?>
        {
            ["program"] = "tracepoint:syscalls:sys_enter_openat\n{\n  printf(\"%s\\n\", str(args->filenam));\n}\n",
        });

        Assert.NotEqual(true, result.IsError);
        var report = Structured(result);
        Assert.False(report.GetProperty("passed").GetBoolean());
        var diagnostic = Assert.Single(report.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("KG2201", diagnostic.GetProperty("code").GetString());
        Assert.Equal(3, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal(28, diagnostic.GetProperty("column").GetInt32());
        Assert.Contains("args->filename", diagnostic.GetProperty("hint").GetString(), StringComparison.Ordinal);
        // The text is the compiler form: place, code, the line and a caret under the field.
        Assert.Contains("program.bt:3:28: error KG2201:", Text(result), StringComparison.Ordinal);
        Assert.Contains("^~~~~~~", Text(result), StringComparison.Ordinal);

        var clean = await client.CallToolAsync("check", new Dictionary<string, object?> { ["program"] = "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }" });
        Assert.True(Structured(clean).GetProperty("passed").GetBoolean());
        Assert.Empty(Structured(clean).GetProperty("diagnostics").EnumerateArray());
    }

    [BpftraceFact]
    public async Task Verify_and_run_a_tracepoint_program_with_a_workload_and_get_its_map()
    {
        // The workload is a copy of cat under a name no other process on the machine has, so the map holds only its opens.
        var cat = Path.Combine(directory, "kgmcpcat");
        File.Copy("/bin/cat", cat);
        File.SetUnixFileMode(cat, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        const string program = "tracepoint:syscalls:sys_enter_openat /comm == \"kgmcpcat\"/ { @opens[comm] = count(); }\n";
        await using var client = await Connect();

        var verify = await client.CallToolAsync("verify", new Dictionary<string, object?> { ["program"] = program });
        Assert.NotEqual(true, verify.IsError);
        Assert.True(Structured(verify).GetProperty("accepted").GetBoolean(), Text(verify));
        Assert.Equal(["tracepoint:syscalls:sys_enter_openat"], Structured(verify).GetProperty("probes").EnumerateArray().Select(p => p.GetString()));

        var run = await client.CallToolAsync("run", new Dictionary<string, object?>
        {
            ["program"] = program,
            ["workload"] = $"{cat} /etc/hostname > /dev/null",
            ["seconds"] = 20,
        });
        Assert.NotEqual(true, run.IsError);
        var report = Structured(run);
        Assert.True(report.GetProperty("ran").GetBoolean(), Text(run));
        Assert.Equal("WorkloadExited", report.GetProperty("stoppedBy").GetString());
        var opens = report.GetProperty("maps").GetProperty("@opens");
        Assert.Equal("keyed", opens.GetProperty("kind").GetString());
        var entry = Assert.Single(opens.GetProperty("entries").EnumerateArray());
        Assert.Equal("kgmcpcat", entry.GetProperty("key").GetString());
        Assert.True(entry.GetProperty("value").GetProperty("value").GetInt64() >= 1);
        Assert.Equal(0, report.GetProperty("workload").GetProperty("exitCode").GetInt32());
        Assert.Contains("@opens[kgmcpcat]", Text(run), StringComparison.Ordinal);
    }

    [BpftraceFact]
    public async Task An_unsafe_program_is_refused_and_no_bpftrace_is_started_for_it()
    {
        // A bpftrace that records every way it is started, then does what the real one does.
        var log = Path.Combine(directory, "bpftrace.log");
        var marker = Path.Combine(directory, "pwned");
        var wrapper = Path.Combine(directory, "bpftrace");
        File.WriteAllText(wrapper, $"#!/bin/sh\necho \"$*\" >> {log}\nexec {Host.BpftracePath} \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        await using var client = await Connect("--bpftrace", wrapper);

        foreach (var tool in new[] { "verify", "run" })
        {
            var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { ["program"] = $"BEGIN {{ system(\"touch {marker}\"); exit(); }}" });

            Assert.True(result.IsError, Text(result));
            Assert.Contains("refused before", Text(result), StringComparison.Ordinal);
            Assert.Contains("KG3001", Text(result), StringComparison.Ordinal);
            var diagnostic = Assert.Single(Structured(result).GetProperty("details").GetProperty("diagnostics").EnumerateArray());
            Assert.Equal("KG3001", diagnostic.GetProperty("code").GetString());
        }

        Assert.False(File.Exists(marker));
        // bpftrace may have been asked its version and features (the language programs are checked against), never to load.
        var starts = File.Exists(log) ? File.ReadAllLines(log) : [];
        Assert.All(starts, line => Assert.Matches(@"^--(version|info)$", line));

        // The same server loads a safe program through the wrapper, so the log would have shown a load.
        var safe = await client.CallToolAsync("verify", new Dictionary<string, object?> { ["program"] = "BEGIN { exit(); }" });
        Assert.True(Structured(safe).GetProperty("accepted").GetBoolean(), Text(safe));
        Assert.Contains(File.ReadAllLines(log), line => !System.Text.RegularExpressions.Regex.IsMatch(line, @"^--(version|info)$"));
    }

    [Fact]
    public async Task Unknown_tools_and_bad_arguments_are_errors_and_the_server_keeps_serving()
    {
        await using var client = await Connect("--catalog", Catalogs.SnapshotPath);

        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("no_such_tool").AsTask());
        Assert.Contains("no_such_tool", unknown.Message, StringComparison.Ordinal);
        var tooLong = await client.CallToolAsync("run", new Dictionary<string, object?> { ["program"] = "BEGIN { exit(); }", ["seconds"] = 100000 });
        Assert.True(tooLong.IsError);
        Assert.Contains("at most 60", Text(tooLong), StringComparison.Ordinal);
        var empty = await client.CallToolAsync("check", new Dictionary<string, object?> { ["program"] = "  " });
        Assert.True(empty.IsError);
        Assert.Contains("program is empty", Text(empty), StringComparison.Ordinal);
        var noContract = await client.CallToolAsync("show_contract", new Dictionary<string, object?> { ["hook"] = "tcp_conect" });
        Assert.True(noContract.IsError);
        Assert.Contains("did you mean 'tcp_connect'", Text(noContract), StringComparison.Ordinal);

        var after = await client.CallToolAsync("show_contract", new Dictionary<string, object?> { ["hook"] = "tcp_connect" });
        Assert.NotEqual(true, after.IsError);
        Assert.Equal("tcp_connect", Structured(after).GetProperty("hook").GetString());
    }

    [Fact]
    public async Task Garbage_on_the_wire_is_answered_with_json_rpc_errors_and_the_server_keeps_serving()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { KgentProcess.CliPath, "mcp", "--catalog", Catalogs.SnapshotPath })
        {
            start.ArgumentList.Add(argument);
        }

        using var server = Process.Start(start)!;
        server.ErrorDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        try
        {
            async Task<JsonElement> Exchange(string line)
            {
                await server.StandardInput.WriteLineAsync(line);
                await server.StandardInput.FlushAsync();
                var answer = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.NotNull(answer);
                return JsonDocument.Parse(answer).RootElement.Clone();
            }

            var parse = await Exchange("{not json");
            Assert.Equal(-32700, parse.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(JsonValueKind.Null, parse.GetProperty("id").ValueKind);
            var batch = await Exchange("[1, 2]");
            Assert.Equal(-32600, batch.GetProperty("error").GetProperty("code").GetInt32());
            var version = await Exchange("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"ping\"}");
            Assert.Equal(-32600, version.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(7, version.GetProperty("id").GetInt32());

            var initialize = await Exchange("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            Assert.Equal("kgent", initialize.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            await server.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            var method = await Exchange("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"no/such/method\"}");
            Assert.Equal(-32601, method.GetProperty("error").GetProperty("code").GetInt32());
            var tool = await Exchange("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\",\"arguments\":{}}}");
            Assert.Equal(3, tool.GetProperty("id").GetInt32());
            Assert.True(tool.TryGetProperty("error", out _));
            var check = await Exchange("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"check\",\"arguments\":{\"program\":\"BEGIN { exit(); }\"}}}");
            Assert.Equal(4, check.GetProperty("id").GetInt32());
            Assert.True(check.GetProperty("result").GetProperty("structuredContent").GetProperty("passed").GetBoolean());

            // Closing the client's end stops the server cleanly.
            server.StandardInput.Close();
            Assert.True(server.WaitForExit(30_000));
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }
}
