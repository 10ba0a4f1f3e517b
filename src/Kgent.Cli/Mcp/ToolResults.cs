using System.Text.Json;
using System.Text.Json.Nodes;
using Kgent.Cli.Output;
using ModelContextProtocol.Protocol;

namespace Kgent.Cli.Mcp;

/// <summary>Tool results as MCP sends them: the report as structured content (camelCase JSON, as <c>--json</c> writes
/// it) and, for clients that read only text, the same outcome in Kgent's compiler form.</summary>
internal static class ToolResults
{
    public static CallToolResult Of(object report, string text, bool isError = false) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(report, Json.Options),
        IsError = isError,
    };

    public static CallToolResult Error(string message, object? details = null) =>
        Of(new ErrorReport(message, details), "error: " + message, isError: true);

    /// <summary>Runs a tool's body: a refusal, a bad argument or anything that fails is a tool error with its message,
    /// never an exception that reaches the protocol (the server keeps serving).</summary>
    public static async Task<CallToolResult> Guard(Func<Task<CallToolResult>> body, CancellationToken cancellation)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (McpToolError e)
        {
            return Error(e.Message, e.Details);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Error("cancelled by the client; nothing stays loaded");
        }
        catch (Exception e) when (e is Kgent.Kernel.Composition.WorkbenchException or Kgent.Kernel.Agent.SynthesisRequestException
            or Kgent.Kernel.Agent.Providers.ModelProviderException or Kgent.Kernel.Symbolic.SolverUnavailableException or ArgumentException or IOException)
        {
            return Error(e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Error($"internal error ({e.GetType().Name}): {e.Message}; this is a bug in Kgent, please report it with the tool call");
        }
    }

    public static CallToolResult Guard(Func<CallToolResult> body, CancellationToken cancellation) =>
        Guard(() => Task.FromResult(body()), cancellation).GetAwaiter().GetResult();

    public sealed record ErrorReport(string Error, object? Details);

    public static JsonNode? Node(object? value) => value is null ? null : JsonSerializer.SerializeToNode(value, Json.Options);
}
