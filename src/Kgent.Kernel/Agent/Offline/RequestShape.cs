using System.Globalization;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.Agent.Offline;

/// <summary>What a request asks for, read from its words: the output (count, histogram, sum, per-event print), the map
/// key (process, pid, CPU, user), and a filter on a process name or PID.</summary>
internal sealed partial record RequestShape(string Output, string? Key, string? ProcessName, int? Pid)
{
    public static RequestShape Of(string request)
    {
        var text = request.ToLowerInvariant();
        var output = Has(text, "histogram", "distribution", "how large", "sizes", "size")
            ? "hist"
            : Has(text, "bytes", "total", "how much", "sum")
                ? "sum"
                : Has(text, "count", "how many", "number of", "most", "top", "per second", "rate", "which")
                    ? "count"
                    : Has(text, "print", "show each", "list", "log", "trace", "show", "watch", "report", "every")
                        ? "print"
                        : "count";
        var key = Has(text, "by process", "per process", "by program", "per program", "by command", "per command", "by name", "process name",
                "which process", "which program", "which processes", "which programs", "by application", "per application", "each application", "every application",
                "each process", "every process", "each program", "every program")
            ? "comm"
            : Has(text, "by pid", "per pid", "by thread", "per thread") ? "pid"
            : Has(text, "per cpu", "by cpu", "each cpu") ? "cpu"
            : Has(text, "by user", "per user", "by uid") ? "uid"
            : null;
        var name = ProcessFilter().Matches(text).Select(m => m.Groups["name"].Value).LastOrDefault(n => !Stop.Contains(n));
        int? pid = PidFilter().Match(text) is { Success: true } p ? int.Parse(p.Groups["pid"].Value, CultureInfo.InvariantCulture) : null;
        return new RequestShape(output, key, name, pid);
    }

    private static readonly HashSet<string> Stop =
    [
        "a", "an", "the", "each", "every", "all", "any", "one", "process", "processes", "program", "programs", "it", "them", "for", "by", "only",
        "name", "names", "pid", "pids", "thread", "threads", "cpu", "cpus", "user", "users", "command", "commands", "application", "size", "sizes",
        "type", "operation", "device", "second", "reason", "state", "port", "destination", "source", "caller", "function", "number", "kernel",
        // "the command that deleted it", "the process making the call", "process ID": words after the noun that are not a name.
        "that", "which", "who", "whose", "making", "doing", "id", "ids", "is", "was", "tried", "writing", "reading", "write", "read", "exit",
        "exits", "start", "starts", "running", "behind", "responsible",
    ];

    private static bool Has(string text, params string[] phrases) => phrases.Any(p => Regex.IsMatch(text, $@"\b{Regex.Escape(p)}\b"));

    // A process is named by "named X", "called X", a quoted name ("for \"bash\"", "process \"nginx\""), "X only" /
    // "X processes" after for/by/only, or "opened by (the process) X". "The command that deleted it", "for transmission", "the process making it" name nobody.
    [GeneratedRegex(@"\b(?:named|called)\s+""?(?<name>[a-z][\w.\-]{0,14})""?|\b(?:for|by|process|program|command)\s+""(?<name>[a-z][\w.\-]{0,14})""|\b(?:for|by|only)\s+(?<name>[a-z][\w.\-]{0,14})\s+(?:only|process(?:es)?)\b|\b(?:opened|run|started|made|called|done|issued|sent|written|read)\s+by\s+(?:the\s+)?(?:(?:process|program|command)\s+)?(?<name>[a-z][\w.\-]{0,14})\b(?!\s+(?:name|id|pid))")]
    private static partial Regex ProcessFilter();

    [GeneratedRegex(@"\bpid\s+(?<pid>\d{1,7})\b")]
    private static partial Regex PidFilter();
}
