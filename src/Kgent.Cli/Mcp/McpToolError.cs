namespace Kgent.Cli.Mcp;

/// <summary>A tool call the server refuses or cannot complete, said in one sentence the agent can act on. It becomes a
/// tool result with <c>isError</c> set; the server keeps serving.</summary>
public sealed class McpToolError(string message, object? details = null) : Exception(message)
{
    /// <summary>Structured details (diagnostics, a report) sent with the message.</summary>
    public object? Details { get; } = details;
}
