using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Kgent.Kernel.Tests.Support;

/// <summary>A real HTTP server on loopback that speaks just enough of the OpenAI chat-completions API: each request gets
/// the next scripted answer (status, Retry-After, body or a delay). It records what it received.</summary>
public sealed class OpenAiStubServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<StubAnswer> answers = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public OpenAiStubServer()
    {
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}/v1";

    public ConcurrentQueue<(string Path, string? Authorization, string Body)> Received { get; } = new();

    /// <summary>Answers a request from its body (the replay tests answer by the prompt's attempt number); when it gives
    /// null, or is unset, the queued answers are used.</summary>
    public Func<string, StubAnswer?>? Responder { get; set; }

    public OpenAiStubServer Then(StubAnswer answer)
    {
        answers.Enqueue(answer);
        return this;
    }

    public static StubAnswer Reply(string content) => new(200, Body: Completion(content));

    public static string Completion(string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-stub",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "stub-model",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 11, completion_tokens = 7, total_tokens = 18 },
    });

    public void Dispose()
    {
        stop.Cancel();
        try
        {
            // Close alone: Stop() followed by Close() makes the managed listener look its endpoint up again, which
            // can fail with "Address already in use".
            listener.Close();
        }
        catch (HttpListenerException)
        {
            // Already gone.
        }

        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under the loop.
        }
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        Received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body));
        var answer = Responder?.Invoke(body)
            ?? (answers.TryDequeue(out var next) ? next : new StubAnswer(500, Body: "{\"error\":\"the stub ran out of scripted answers\"}"));
        try
        {
            if (answer.Delay is { } delay)
            {
                await Task.Delay(delay, stop.Token).ConfigureAwait(false);
            }

            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer.Body ?? "{}");
            await context.Response.OutputStream.WriteAsync(bytes, stop.Token).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client gave up (timeout test) or the server is stopping.
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>One scripted answer of the stub server.</summary>
public sealed record StubAnswer(int Status, int? RetryAfterSeconds = null, string? Body = null, TimeSpan? Delay = null);
