using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Kgent.Kernel.Semantics;

/// <summary>Finds C headers the way the compiler inside bpftrace does and reads what the checker needs from them:
/// the macro and enum names they define (so <c>AF_INET</c> after <c>#include &lt;sys/socket.h&gt;</c> is known), and
/// whether they rely on names that only <c>&lt;linux/types.h&gt;</c> defines. bpftrace 0.17 suppresses that header
/// when BTF is present (it passes <c>-D_LINUX_TYPES_H</c>), so such headers fail to compile there.
/// Scans are cached per process.</summary>
public sealed class HeaderIndex(IReadOnlyList<string> includeDirectories)
{
    private const int MaxDepth = 8;
    private static readonly ConcurrentDictionary<string, HeaderFacts> Cache = new(StringComparer.Ordinal);

    public IReadOnlyList<string> IncludeDirectories { get; } = includeDirectories;

    public string? Resolve(string name, string? includingDirectory = null)
    {
        if (includingDirectory is not null)
        {
            var local = Path.Combine(includingDirectory, name);
            if (File.Exists(local))
            {
                return local;
            }
        }

        return IncludeDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Macro and enum names defined by the header and everything it includes.</summary>
    public IReadOnlySet<string> DefinedNames(string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var facts in Closure(path, skipLinuxTypes: false))
        {
            names.UnionWith(facts.Defines);
        }

        return names;
    }

    /// <summary>The first name from <c>&lt;linux/types.h&gt;</c> that the header (or one it includes) uses while
    /// <c>linux/types.h</c> is suppressed, with the file that uses it; null when there is none.</summary>
    public (string Name, string File)? UsesSuppressedLinuxTypes(string path, Func<string, bool> providedElsewhere)
    {
        var linuxTypes = Resolve("linux/types.h");
        if (linuxTypes is null)
        {
            return null;
        }

        var suppressed = Facts(linuxTypes).Defines
            .Where(n => !n.StartsWith("_LINUX_TYPES_H", StringComparison.Ordinal) && !providedElsewhere(n))
            .ToFrozenSet(StringComparer.Ordinal);
        foreach (var facts in Closure(path, skipLinuxTypes: true))
        {
            var used = facts.Identifiers.FirstOrDefault(suppressed.Contains);
            if (used is not null && !facts.Defines.Contains(used))
            {
                return (used, facts.Path);
            }
        }

        return null;
    }

    private IEnumerable<HeaderFacts> Closure(string path, bool skipLinuxTypes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Path, int Depth)>();
        queue.Enqueue((path, 0));
        while (queue.Count > 0)
        {
            var (current, depth) = queue.Dequeue();
            if (!seen.Add(current))
            {
                continue;
            }

            var facts = Facts(current);
            yield return facts;
            if (depth >= MaxDepth)
            {
                continue;
            }

            foreach (var include in facts.Includes)
            {
                if (skipLinuxTypes && include == "linux/types.h")
                {
                    continue;
                }

                var resolved = Resolve(include, Path.GetDirectoryName(current));
                if (resolved is not null)
                {
                    queue.Enqueue((resolved, depth + 1));
                }
            }
        }
    }

    private static HeaderFacts Facts(string path) => Cache.GetOrAdd(path, Scan);

    private static HeaderFacts Scan(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HeaderFacts(path, new HashSet<string>(), [], new HashSet<string>());
        }

        text = CDeclarations.StripComments(text);
        var defines = new HashSet<string>(CDeclarations.Macros(text), StringComparer.Ordinal);
        defines.UnionWith(CDeclarations.Typedefs(text));
        defines.UnionWith(CDeclarations.EnumConstants(text));
        var includes = CDeclarations.Includes(text).ToArray();
        var identifiers = CDeclarations.Identifiers(text).ToHashSet(StringComparer.Ordinal);
        return new HeaderFacts(path, defines, includes, identifiers);
    }

    private sealed record HeaderFacts(string Path, IReadOnlySet<string> Defines, IReadOnlyList<string> Includes, IReadOnlySet<string> Identifiers);
}
