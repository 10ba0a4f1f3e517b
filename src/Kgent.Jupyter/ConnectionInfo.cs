using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kgent.Jupyter;

/// <summary>The connection file Jupyter writes for a kernel it starts: the five ports on one address, and the key and
/// scheme that sign every message.</summary>
public sealed record ConnectionInfo(
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("shell_port")] int ShellPort,
    [property: JsonPropertyName("iopub_port")] int IopubPort,
    [property: JsonPropertyName("stdin_port")] int StdinPort,
    [property: JsonPropertyName("control_port")] int ControlPort,
    [property: JsonPropertyName("hb_port")] int HeartbeatPort,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("signature_scheme")] string SignatureScheme)
{
    /// <summary>Reads a connection file; what is missing or wrong is a <see cref="KernelStartException"/> naming it.</summary>
    public static ConnectionInfo Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelStartException($"cannot read the connection file {path}: {e.Message}");
        }

        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(text);
        }
        catch (JsonException e)
        {
            throw new KernelStartException($"the connection file {path} is not JSON: {e.Message}");
        }

        if (info is null || string.IsNullOrEmpty(info.Ip) || string.IsNullOrEmpty(info.Transport))
        {
            throw new KernelStartException($"the connection file {path} lacks \"ip\" or \"transport\"");
        }

        if (new[] { info.ShellPort, info.IopubPort, info.StdinPort, info.ControlPort, info.HeartbeatPort }.Any(p => p is <= 0 or > 65535))
        {
            throw new KernelStartException($"the connection file {path} needs shell_port, iopub_port, stdin_port, control_port and hb_port between 1 and 65535");
        }

        if (info.Key is { Length: > 0 } && info.SignatureScheme != "hmac-sha256")
        {
            throw new KernelStartException($"signature scheme '{info.SignatureScheme}' is not supported; Kgent signs with hmac-sha256");
        }

        return info with { Key = info.Key ?? string.Empty };
    }

    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";
}

/// <summary>Why the kernel cannot start: one sentence, printed without a stack trace.</summary>
public sealed class KernelStartException(string message) : Exception(message);
