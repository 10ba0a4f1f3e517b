using System.Collections.Immutable;

namespace Kgent.Kernel.KernelInfo.Tracepoints;

/// <summary>Reads every attachable tracepoint's format from a mounted tracefs (<c>events/*/*/format</c>).</summary>
public static class TracefsReader
{
    /// <summary>The tracing directories bpftrace looks at, in order.</summary>
    public static IReadOnlyList<string> DefaultTracingDirectories { get; } = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];

    /// <summary>The first tracing directory under <paramref name="root"/> that has an <c>events</c> folder, or null.</summary>
    public static string? FindTracingDirectory(string root = "/") =>
        DefaultTracingDirectories
            .Select(d => Path.Combine(root, d.TrimStart('/')))
            .FirstOrDefault(d => Directory.Exists(Path.Combine(d, "events")));

    public static ImmutableArray<TracepointFormat> ReadAll(string tracingDirectory)
    {
        var events = Path.Combine(tracingDirectory, "events");
        var formats = ImmutableArray.CreateBuilder<TracepointFormat>();
        foreach (var categoryDirectory in Directory.EnumerateDirectories(events).Order(StringComparer.Ordinal))
        {
            var category = Path.GetFileName(categoryDirectory);
            foreach (var eventDirectory in Directory.EnumerateDirectories(categoryDirectory).Order(StringComparer.Ordinal))
            {
                // Events without an 'enable' file (the ftrace category) are internal records, not attachable tracepoints;
                // bpftrace -l leaves them out too.
                if (!File.Exists(Path.Combine(eventDirectory, "enable")))
                {
                    continue;
                }

                var formatPath = Path.Combine(eventDirectory, "format");
                string text;
                try
                {
                    text = File.ReadAllText(formatPath);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                formats.Add(TracepointFormatParser.Parse(category, Path.GetFileName(eventDirectory), text));
            }
        }

        return formats.ToImmutable();
    }
}
