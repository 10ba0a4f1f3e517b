using System.Reflection;
using Kgent.Cli.Commands;
using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Kgent.Cli.Mcp;

/// <summary><c>kgent mcp [--allow-unsafe BUILTIN] [--max-run S] [--catalog F] [--contracts DIR] [--store DB] [--model M]
/// [--bpftrace SPEC]</c>: a Model Context Protocol server on standard input and output, for coding agents. Its tools are
/// <see cref="KgentMcpTools"/>; its notes go to standard error, which MCP clients show as the server's log. It serves
/// until the client closes standard input (exit 0) or a signal stops it.</summary>
public static class McpCommand
{
    public static int Run(WorkbenchOptions options, McpPolicy policy, TextWriter error, ConsoleStyle style)
    {
        using var workbench = CliWorkbench.Open(options, error, style);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        error.WriteLine($"kgent mcp: serving {Tools(workbench, policy).Count} tools on stdio (model: {workbench.ModelName}; unsafe builtins allowed: " +
            $"{(policy.Allowed.Builtins.IsEmpty ? "none" : string.Join(", ", policy.Allowed.Builtins))}; runs at most {policy.MaxRun.TotalSeconds:0} s)");
        try
        {
            ServeAsync(workbench, policy, stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // A signal: the tools' own cancellation has stopped every child.
        }

        return 0;
    }

    /// <summary>The server's options: its name and version, what it is for, and its tools.</summary>
    public static McpServerOptions ServerOptions(Workbench workbench, McpPolicy policy) => new()
    {
        ServerInfo = new Implementation { Name = "kgent", Title = "Kgent", Version = Version },
        ServerInstructions =
            "Kgent checks, proves and runs bpftrace programs on this Linux host. Ask probe_support first (some kernels cannot attach kprobes), " +
            "write tracepoint programs where you can, call check before verify or run, and read each diagnostic's code, line and hint. " +
            "symbolic_verify with the user's request proves the program does what was asked. verify and run refuse programs with errors " +
            "and unsafe builtins; runs are bounded and leave nothing attached.",
        ToolCollection = [.. Tools(workbench, policy)],
    };

    private static async Task ServeAsync(Workbench workbench, McpPolicy policy, CancellationToken cancellation)
    {
        // The gate answers lines that are not JSON-RPC messages; the server sees only messages.
        var gate = new JsonRpcGate(Console.OpenStandardInput(), Console.OpenStandardOutput());
        await using var transport = new StreamServerTransport(gate.Input, gate.Output, "kgent");
        await using var server = McpServer.Create(transport, ServerOptions(workbench, policy));
        var pump = gate.PumpAsync(cancellation);
        await server.RunAsync(cancellation).ConfigureAwait(false);
        await pump.ConfigureAwait(false);
    }

    private static List<McpServerTool> Tools(Workbench workbench, McpPolicy policy)
    {
        var target = new KgentMcpTools(workbench, policy);
        return [.. typeof(KgentMcpTools).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null)
            .Select(m => McpServerTool.Create(m, target))];
    }

    private static string Version =>
        typeof(McpCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
}
