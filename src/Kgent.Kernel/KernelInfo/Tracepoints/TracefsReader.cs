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

    /// <summary>Every attachable tracepoint's name, <c>category:event</c>: tracefs's <c>available_events</c> (the events
    /// with an <c>enable</c> file, as <see cref="ReadAll"/> reads them), else the folders under <c>events</c>.</summary>
    public static ImmutableArray<string> ReadNames(string tracingDirectory)
    {
        try
        {
            var listed = File.ReadAllLines(Path.Combine(tracingDirectory, "available_events"));
            if (listed.Length > 0)
            {
                return [.. listed.Select(l => l.Trim()).Where(l => l.Contains(':', StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)];
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read the folders instead.
        }

        var events = Path.Combine(tracingDirectory, "events");
        return [.. Directory.EnumerateDirectories(events)
            .SelectMany(category => Directory.EnumerateDirectories(category)
                .Where(e => File.Exists(Path.Combine(e, "enable")))
                .Select(e => $"{Path.GetFileName(category)}:{Path.GetFileName(e)}"))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>One tracepoint's format, or null when it has none (or cannot be read).</summary>
    public static TracepointFormat? ReadOne(string tracingDirectory, string category, string @event)
    {
        if (category.Contains('/') || @event.Contains('/') || category is "." or ".." || @event is "." or "..")
        {
            return null;
        }

        try
        {
            return TracepointFormatParser.Parse(category, @event, File.ReadAllText(Path.Combine(tracingDirectory, "events", category, @event, "format")));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

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
