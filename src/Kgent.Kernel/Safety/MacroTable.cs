using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.Safety;

/// <summary>Every macro a program can see, the way bpftrace's C front end sees them: the program's own <c>#define</c>
/// lines and everything its <c>#include</c>s define, recursively. Deliberately generous, because it feeds the safety
/// policy: a macro counts whether or not its <c>#if</c> branch is taken and even after <c>#undef</c> (bpftrace 0.17
/// keeps it too), and a quoted include is looked up beside the program and in the working directory as well as in the
/// include folders. Headers are read bounded (<see cref="MaxHeaders"/> files, <see cref="MaxHeaderBytes"/> each) and
/// cached per process.</summary>
internal sealed partial class MacroTable
{
    public const int MaxHeaders = 400;
    public const int MaxHeaderBytes = 2 * 1024 * 1024;
    private const int MaxIncludeDepth = 12;
    private static readonly ConcurrentDictionary<(string Path, DateTime Written), HeaderMacros> Cache = new();
    private readonly Dictionary<string, MacroDefinition> macros = new(StringComparer.Ordinal);

    private MacroTable()
    {
    }

    public int Count => macros.Count;

    public MacroDefinition? Find(string name) => macros.GetValueOrDefault(name);

    /// <summary>The macros of a program (its text, with <paramref name="path"/> naming it and deciding where quoted
    /// includes are looked up), with headers found in <paramref name="includeDirectories"/>.</summary>
    public static MacroTable For(string text, string path, IReadOnlyList<string> includeDirectories)
    {
        var table = new MacroTable();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path.StartsWith('<') ? "program.bt" : path));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var own = Scan(text, path);
        table.Add(own.Macros);
        var queue = new Queue<(string Include, string? From, int Depth)>(own.Includes.Select(i => (i, directory, 1)));
        while (queue.Count > 0 && seen.Count < MaxHeaders)
        {
            var (include, from, depth) = queue.Dequeue();
            if (Resolve(include, from, includeDirectories) is not { } header || !seen.Add(header))
            {
                continue;
            }

            var macros = Header(header);
            table.Add(macros.Macros);
            if (depth < MaxIncludeDepth)
            {
                foreach (var next in macros.Includes)
                {
                    queue.Enqueue((next, Path.GetDirectoryName(header), depth + 1));
                }
            }
        }

        return table;
    }

    private void Add(IEnumerable<MacroDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            // The first definition wins, as in a header that guards its own redefinitions; either way both are seen once.
            macros.TryAdd(definition.Name, definition);
        }
    }

    private static string? Resolve(string include, string? from, IReadOnlyList<string> includeDirectories)
    {
        try
        {
            if (Path.IsPathRooted(include))
            {
                return File.Exists(include) ? Path.GetFullPath(include) : null;
            }

            var candidates = new List<string>();
            if (from is not null)
            {
                candidates.Add(Path.Combine(from, include));
            }

            candidates.Add(Path.Combine(Environment.CurrentDirectory, include));
            candidates.AddRange(includeDirectories.Select(d => Path.Combine(d, include)));
            return candidates.Where(File.Exists).Select(Path.GetFullPath).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static HeaderMacros Header(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return Cache.GetOrAdd((path, info.LastWriteTimeUtc), key =>
            {
                if (new FileInfo(key.Path).Length > MaxHeaderBytes)
                {
                    return new HeaderMacros([], []);
                }

                return Scan(File.ReadAllText(key.Path), key.Path);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new HeaderMacros([], []);
        }
    }

    /// <summary>The <c>#define</c>s and <c>#include</c>s of C text (logical lines: a backslash-newline continues one).</summary>
    private static HeaderMacros Scan(string text, string path)
    {
        var definitions = new List<MacroDefinition>();
        var includes = new List<string>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var end = CToken.LogicalLineEnd(text, i);
            var logical = text[i..end];
            var match = Directive().Match(logical);
            if (match.Success)
            {
                var keyword = match.Groups["kw"].Value;
                var rest = match.Groups["rest"].Value.Replace("\\\n", " ", StringComparison.Ordinal);
                if (keyword == "define" && DefineHead().Match(rest) is { Success: true } head)
                {
                    var parameters = head.Groups["params"].Success
                        ? head.Groups["params"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        : null;
                    definitions.Add(new MacroDefinition(head.Groups["name"].Value, parameters, CToken.Split(rest[head.Length..]), path, line));
                }
                else if (keyword is "include" or "include_next" && IncludeTarget().Match(rest) is { Success: true } target)
                {
                    includes.Add(target.Groups[1].Value);
                }
            }

            line += logical.Count(c => c == '\n') + 1;
            i = end + 1;
        }

        return new HeaderMacros(definitions, includes);
    }

    private sealed record HeaderMacros(IReadOnlyList<MacroDefinition> Macros, IReadOnlyList<string> Includes);

    [GeneratedRegex(@"^[ \t]*#[ \t]*(?<kw>\w+)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"^[ \t]+(?<name>[A-Za-z_]\w*)(?:\((?<params>[^)]*)\))?")]
    private static partial Regex DefineHead();

    [GeneratedRegex(@"^\s*[<""]([^>""]+)[>""]")]
    private static partial Regex IncludeTarget();
}
