using System.Reflection;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Kgent.Notebook;
using NetMQ;
using NetMQ.Sockets;

namespace Kgent.Jupyter;

/// <summary>
/// Kgent's own Jupyter kernel, without .NET Interactive: the Jupyter messaging protocol (5.3) over ZeroMQ. Shell and
/// control are ROUTER sockets, IOPub a PUB socket, the heartbeat a REP socket that echoes. Every message is signed and
/// checked with the connection file's key. A cell holds what a <c>#!kgent</c> cell holds, the stage line (with or
/// without <c>#!kgent</c>) and its body; it runs on the shared <see cref="KgentSession"/> through <see cref="KgentCells"/>,
/// and its results are sent as the same HTML and plain text the .NET Interactive extension shows.
/// All socket I/O happens on one poller thread; cells run one at a time on another, so an <c>interrupt_request</c> on
/// the control channel (or SIGINT) cancels the running cell.
/// </summary>
public sealed class JupyterKernel : IDisposable
{
    private readonly ConnectionInfo connection;
    private readonly MessageSigner signer;
    private readonly Func<KgentSession> sessions;
    private readonly Func<KgentSession?> loaded;
    private readonly TextWriter log;
    private readonly string session = Guid.NewGuid().ToString("N");
    private readonly RouterSocket shell = new();
    private readonly RouterSocket control = new();
    private readonly RouterSocket stdin = new();
    private readonly PublisherSocket iopub = new();
    private readonly ResponseSocket heartbeat = new();
    private readonly NetMQQueue<Action> outbox = new();
    private readonly NetMQPoller poller;
    private readonly Channel<JupyterMessage> executions = Channel.CreateUnbounded<JupyterMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private volatile CancellationTokenSource? running;
    private int executionCount;

    /// <param name="sessions">The session, made on the first cell that needs it.</param>
    /// <param name="loaded">The session if it has been made, else null: completions use it (the hooks that have
    /// contracts) but never make it.</param>
    public JupyterKernel(ConnectionInfo connection, Func<KgentSession> sessions, TextWriter log, Func<KgentSession?>? loaded = null)
    {
        this.connection = connection;
        this.sessions = sessions;
        this.loaded = loaded ?? (() => null);
        this.log = log;
        signer = new MessageSigner(connection.Key);
        poller = [shell, control, stdin, heartbeat, outbox];
        shell.ReceiveReady += (_, e) => Receive(e.Socket, Socket.Shell);
        control.ReceiveReady += (_, e) => Receive(e.Socket, Socket.Control);
        stdin.ReceiveReady += (_, e) => e.Socket.ReceiveMultipartBytes();
        heartbeat.ReceiveReady += (_, e) => e.Socket.SendMultipartBytes(e.Socket.ReceiveMultipartBytes());
        outbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero))
            {
                action();
            }
        };
    }

    private enum Socket
    {
        Shell,
        Control,
    }

    public static string Version =>
        typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>Binds the sockets and serves until a <c>shutdown_request</c> or <paramref name="cancellation"/>.</summary>
    public void Run(CancellationToken cancellation = default)
    {
        Bind(shell, connection.ShellPort, "shell");
        Bind(control, connection.ControlPort, "control");
        Bind(stdin, connection.StdinPort, "stdin");
        Bind(iopub, connection.IopubPort, "iopub");
        Bind(heartbeat, connection.HeartbeatPort, "heartbeat");
        using var stop = cancellation.Register(() => outbox.Enqueue(Stop));
        var worker = Task.Run(ExecuteLoopAsync);
        Publish(null, "status", new JsonObject { ["execution_state"] = "starting" });
        poller.Run();
        executions.Writer.TryComplete();
        running?.Cancel();
        worker.Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>Cancels the running cell, as an interrupt does; true when one was running.</summary>
    public bool Interrupt()
    {
        var current = running;
        if (current is null)
        {
            return false;
        }

        try
        {
            current.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // the cell had just ended
        }
    }

    public void Dispose()
    {
        poller.Dispose();
        foreach (var socket in new NetMQSocket[] { shell, control, stdin, iopub, heartbeat })
        {
            socket.Dispose();
        }

        outbox.Dispose();
        stopping.Dispose();
    }

    private void Bind(NetMQSocket socket, int port, string name)
    {
        socket.Options.Linger = TimeSpan.FromSeconds(1);
        try
        {
            socket.Bind(connection.Address(port));
        }
        catch (NetMQException e)
        {
            throw new KernelStartException($"cannot listen on the {name} port {connection.Address(port)}: {e.Message}");
        }
    }

    private void Stop()
    {
        stopping.Cancel();
        poller.Stop();
    }

    private void Receive(NetMQSocket socket, Socket channel)
    {
        var frames = socket.ReceiveMultipartBytes();
        var message = JupyterMessage.Decode(frames, signer, out var problem);
        if (message is null)
        {
            log.WriteLine($"kgent kernel: dropped {problem}");
            return;
        }

        switch (message.Type)
        {
            case "execute_request":
                // Cells run one at a time, in order, off this thread; IOPub says busy at once.
                Publish(message, "status", new JsonObject { ["execution_state"] = "busy" });
                executions.Writer.TryWrite(message);
                return;
            case "interrupt_request":
                Interrupt();
                Answer(socket, message, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                return;
            case "shutdown_request":
                Interrupt();
                Answer(socket, message, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = message.Content["restart"]?.GetValue<bool>() ?? false });
                Stop();
                return;
        }

        var content = Answer(message);
        if (content is null)
        {
            log.WriteLine($"kgent kernel: ignored a {message.Type} on the {channel.ToString().ToLowerInvariant()} channel");
            return;
        }

        Answer(socket, message, message.Type.Replace("_request", "_reply", StringComparison.Ordinal), content);
    }

    /// <summary>The reply to a request that needs no cell to run, or null for one this kernel ignores.</summary>
    private JsonObject? Answer(JupyterMessage request) => request.Type switch
    {
        "kernel_info_request" => KernelInfo(),
        "complete_request" => Complete(request.Content),
        "is_complete_request" => new JsonObject { ["status"] = "complete" },
        "inspect_request" => new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() },
        "history_request" => new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() },
        "comm_info_request" => new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() },
        _ => null,
    };

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "kgent",
        ["implementation_version"] = Version,
        ["language_info"] = new JsonObject
        {
            ["name"] = "kgent",
            ["version"] = Version,
            ["mimetype"] = "text/x-kgent",
            ["file_extension"] = ".kgent",
            ["pygments_lexer"] = "c",
            ["codemirror_mode"] = "text/x-csrc",
        },
        ["banner"] = $"Kgent {Version}: each cell is one stage, `#!kgent STAGE [options]` (or just `STAGE`) and its body; stages: {string.Join(", ", KgentStage.Names)}",
        ["help_links"] = new JsonArray(),
    };

    private JsonObject Complete(JsonObject content)
    {
        var code = content["code"]?.GetValue<string>() ?? string.Empty;
        var cursor = content["cursor_pos"]?.GetValue<int>() ?? code.Length;
        var (matches, start, end) = KgentCompletions.Complete(code, cursor, loaded());
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray([.. matches.Select(m => (JsonNode)m)]),
            ["cursor_start"] = start,
            ["cursor_end"] = end,
            ["metadata"] = new JsonObject(),
        };
    }

    private void Answer(NetMQSocket socket, JupyterMessage request, string type, JsonObject content)
    {
        Publish(request, "status", new JsonObject { ["execution_state"] = "busy" });
        Send(socket, JupyterMessage.Reply(request, type, content, session));
        Publish(request, "status", new JsonObject { ["execution_state"] = "idle" });
    }

    private void Send(NetMQSocket socket, JupyterMessage message)
    {
        var frames = message.Encode(signer);
        var outgoing = new NetMQMessage(frames.Select(f => new NetMQFrame(f)));
        socket.SendMultipartMessage(outgoing);
    }

    /// <summary>Sends an IOPub message (from any thread: it is queued to the poller's).</summary>
    private void Publish(JupyterMessage? parent, string type, JsonObject content)
    {
        var message = JupyterMessage.Reply(parent, type, content, session) with { Identities = [System.Text.Encoding.UTF8.GetBytes($"kernel.{session}.{type}")] };
        Post(() => Send(iopub, message));
    }

    /// <summary>Runs <paramref name="action"/> on the poller's thread: at once when called there (so a reply and the
    /// statuses around it go out in order), else queued behind what is already waiting.</summary>
    private void Post(Action action)
    {
        if (poller.CanExecuteTaskInline)
        {
            action();
        }
        else if (!stopping.IsCancellationRequested)
        {
            outbox.Enqueue(action);
        }
    }

    private async Task ExecuteLoopAsync()
    {
        await foreach (var request in executions.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await ExecuteAsync(request).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.WriteLine($"kgent kernel: a cell failed inside the kernel ({e.GetType().Name}): {e.Message}");
            }
        }
    }

    private async Task ExecuteAsync(JupyterMessage request)
    {
        var code = request.Content["code"]?.GetValue<string>() ?? string.Empty;
        var silent = request.Content["silent"]?.GetValue<bool>() ?? false;
        var count = silent ? executionCount : ++executionCount;
        if (!silent)
        {
            Publish(request, "execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });
        }

        var output = new IopubOutput(this, request, count, silent);
        var succeeded = true;
        if (code.Trim().Length > 0)
        {
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            running = cancellation;
            try
            {
                var (line, body, bodyLine) = KgentDirectiveLine.Split(WithMagic(code))!.Value;
                succeeded = await new KgentCells(sessions).RunCellAsync(KgentDirectiveLine.Parse(line), body, bodyLine, output, cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failure Kgent does not expect is still one line in the cell, never a stack trace.
                output.Fail($"internal error ({e.GetType().Name}): {e.Message}; this is a bug in Kgent, please report it with the cell");
                succeeded = false;
            }
            finally
            {
                running = null;
            }
        }

        var reply = succeeded
            ? new JsonObject { ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray() }
            : new JsonObject { ["status"] = "error", ["execution_count"] = count, ["ename"] = output.ErrorName, ["evalue"] = output.Error, ["traceback"] = new JsonArray(output.Error) };
        Post(() => Send(shell, JupyterMessage.Reply(request, "execute_reply", reply, session)));
        Publish(request, "status", new JsonObject { ["execution_state"] = "idle" });
    }

    /// <summary>The cell with <c>#!kgent</c> before its first word when it was left out (<c>check</c> → <c>#!kgent check</c>),
    /// on the same line so the body's line numbers stay the cell's own.</summary>
    internal static string WithMagic(string code)
    {
        if (KgentDirectiveLine.Split(code) is not null)
        {
            return code;
        }

        var first = code.Length - code.TrimStart().Length;
        return code[..first] + KgentDirectiveLine.Magic + " " + code[first..];
    }

    /// <summary>A cell's output as IOPub messages: results as <c>execute_result</c> (HTML and plain text), progress as
    /// one display updated in place, a failure as an <c>error</c>.</summary>
    private sealed class IopubOutput(JupyterKernel kernel, JupyterMessage request, int count, bool silent) : ICellOutput
    {
        private readonly string progressId = Guid.NewGuid().ToString("N");
        private bool progressShown;

        public string ErrorName { get; private set; } = "KgentError";

        public string Error { get; private set; } = string.Empty;

        public void Show(object result)
        {
            if (silent)
            {
                return;
            }

            var data = result is string markdown
                ? new JsonObject { ["text/markdown"] = markdown, ["text/plain"] = markdown }
                : new JsonObject { ["text/html"] = Kgent.Notebook.Html.ResultViews.Html(result), ["text/plain"] = Kgent.Notebook.Html.ResultViews.Text(result) };
            kernel.Publish(request, "execute_result", new JsonObject { ["execution_count"] = count, ["data"] = data, ["metadata"] = new JsonObject() });
        }

        public void Progress(string text)
        {
            if (silent)
            {
                return;
            }

            var type = progressShown ? "update_display_data" : "display_data";
            progressShown = true;
            kernel.Publish(request, type, new JsonObject
            {
                ["data"] = new JsonObject { ["text/plain"] = text },
                ["metadata"] = new JsonObject(),
                ["transient"] = new JsonObject { ["display_id"] = progressId },
            });
        }

        public void Fail(string message)
        {
            ErrorName = message.StartsWith("interrupted", StringComparison.Ordinal) ? "KeyboardInterrupt" : "KgentError";
            Error = message;
            kernel.Publish(request, "error", new JsonObject { ["ename"] = ErrorName, ["evalue"] = message, ["traceback"] = new JsonArray(message) });
        }
    }
}
