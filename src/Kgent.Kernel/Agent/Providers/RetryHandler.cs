using System.Net;

namespace Kgent.Kernel.Agent.Providers;

/// <summary>Retries a request that got 429 or a 5xx, up to <c>maxRetries</c> times, waiting what the server's
/// <c>Retry-After</c> says (capped at 30 s) or else 0.5 s, 1 s, 2 s, …. Other answers pass through.</summary>
public sealed class RetryHandler(int maxRetries, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>How many retries the last request needed (for tests and transcripts).</summary>
    public int LastRetries { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var mediaType = request.Content?.Headers.ContentType;
        for (var attempt = 0; ; attempt++)
        {
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = mediaType;
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            LastRetries = attempt;
            if (!IsTransient(response.StatusCode) || attempt >= maxRetries)
            {
                return response;
            }

            var wait = Delay(response, attempt);
            response.Dispose();
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan Delay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt)));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
    }
}
