using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Kgent.Cli.Mcp;

/// <summary>Stands between the client's stream and the MCP server: each line must be one JSON-RPC 2.0 message (a request,
/// a notification or a response). A line that is not JSON, not an object, not JSON-RPC 2.0, or longer than
/// <see cref="MaxLine"/> bytes is answered here with a JSON-RPC error (parse error -32700 or invalid request -32600, with
/// the request's id when it has one) and goes no further, so garbage gets an answer and the server keeps serving.
/// Writes to the client are whole lines: the server's messages and the gate's answers never interleave.</summary>
public sealed class JsonRpcGate(Stream input, Stream output)
{
    /// <summary>The longest message the server takes (a program is at most 256 KB; JSON escaping can double it).</summary>
    public const int MaxLine = 4 * 1024 * 1024;

    private readonly Pipe pipe = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private LineStream? lines;

    /// <summary>What the server reads: the messages that passed.</summary>
    public Stream Input => pipe.Reader.AsStream();

    /// <summary>What the server writes to: complete lines reach the client one at a time.</summary>
    public Stream Output => lines ??= new LineStream(this);

    /// <summary>Copies the client's messages to <see cref="Input"/> until the client closes its end (or
    /// <paramref name="cancellation"/>), answering what is not a message.</summary>
    public async Task PumpAsync(CancellationToken cancellation)
    {
        var line = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var overlong = false;
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
            {
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        continue;
                    }

                    if (!overlong)
                    {
                        line.Write(buffer, start, i - start);
                        await PassAsync(line.ToArray(), cancellation).ConfigureAwait(false);
                    }
                    else
                    {
                        await AnswerAsync(null, -32600, $"Invalid Request: a message longer than {MaxLine / (1024 * 1024)} MB was dropped", cancellation).ConfigureAwait(false);
                    }

                    line.SetLength(0);
                    overlong = false;
                    start = i + 1;
                }

                if (!overlong)
                {
                    line.Write(buffer, start, read - start);
                    if (line.Length > MaxLine)
                    {
                        overlong = true;
                        line.SetLength(0);
                    }
                }
            }

            if (!overlong && line.Length > 0)
            {
                await PassAsync(line.ToArray(), cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task PassAsync(byte[] line, CancellationToken cancellation)
    {
        var text = line.AsSpan().Trim((byte)'\r');
        if (text.IsEmpty || text.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
        {
            return;
        }

        if (Problem(text.ToArray()) is { } problem)
        {
            await AnswerAsync(problem.Id, problem.Code, problem.Message, cancellation).ConfigureAwait(false);
            return;
        }

        await pipe.Writer.WriteAsync(line, cancellation).ConfigureAwait(false);
        await pipe.Writer.WriteAsync("\n"u8.ToArray(), cancellation).ConfigureAwait(false);
    }

    /// <summary>Why a line is not a JSON-RPC 2.0 message, or null when it is one.</summary>
    public static (JsonElement? Id, int Code, string Message)? Problem(byte[] line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return (null, -32700, $"Parse error: the line is not JSON ({e.Message.Split(". ")[0]})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, -32600, $"Invalid Request: a message is one JSON object, not {(root.ValueKind == JsonValueKind.Array ? "a batch (an array)" : root.ValueKind.ToString().ToLowerInvariant())}");
            }

            JsonElement? id = root.TryGetProperty("id", out var given) && given.ValueKind is JsonValueKind.String or JsonValueKind.Number ? given.Clone() : null;
            if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
            {
                return (id, -32600, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
            }

            var isCall = root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String && method.GetString()!.Length > 0;
            var isResponse = id is not null && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _));
            if (!isCall && !isResponse)
            {
                return (id, -32600, "Invalid Request: a message needs a \"method\" (a request or notification), or an \"id\" with a \"result\" or an \"error\" (a response)");
            }

            if (isCall && root.TryGetProperty("params", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                return (id, -32600, "Invalid Request: \"params\" must be an object");
            }

            return null;
        }
    }

    private async Task AnswerAsync(JsonElement? id, int code, string message, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WritePropertyName("id");
            if (id is { } value)
            {
                value.WriteTo(json);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteStartObject("error");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        await WriteLineAsync(buffer.ToArray(), cancellation).ConfigureAwait(false);
    }

    private async Task WriteLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellation)
    {
        await writing.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            await output.WriteAsync(line, cancellation).ConfigureAwait(false);
            await output.FlushAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>The server's side of the output: bytes are held until a line ends, then written whole.</summary>
    private sealed class LineStream(JsonRpcGate gate) : Stream
    {
        private readonly MemoryStream pending = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            byte[]? complete = null;
            lock (pending)
            {
                pending.Write(buffer.Span);
                var bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);
                var end = bytes.LastIndexOf((byte)'\n');
                if (end >= 0)
                {
                    complete = bytes[..(end + 1)].ToArray();
                    var rest = bytes[(end + 1)..].ToArray();
                    pending.SetLength(0);
                    pending.Write(rest);
                }
            }

            if (complete is not null)
            {
                await gate.WriteLineAsync(complete, cancellationToken).ConfigureAwait(false);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                pending.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
