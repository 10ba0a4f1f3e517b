using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>What a C program may <c>#include</c> before clang sees it: headers by name (<c>"vmlinux.h"</c>,
/// <c>&lt;bpf/bpf_helpers.h&gt;</c>, <c>&lt;linux/types.h&gt;</c>, a header beside the program). Kgent runs as root and
/// programs come from models, users and coding agents, and clang quotes what it reads in its errors, so an absolute path,
/// a <c>..</c> step, an include named by a macro, <c>#include_next</c> and <c>#import</c> are refused before clang runs:
/// they could bring any file on the host into a diagnostic.</summary>
public static partial class IncludePolicy
{
    public static ImmutableArray<Diagnostic> Review(SourceText source)
    {
        var refused = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (Match directive in Directive().Matches(source.Text))
        {
            var keyword = directive.Groups["keyword"].Value;
            var target = directive.Groups["target"].Value.Trim();
            var name = target.Length >= 2 && (target[0], target[^1]) is ('"', '"') or ('<', '>') ? target[1..^1] : null;
            var problem = keyword != "include" ? $"#{keyword} is not allowed"
                : name is null ? "an #include must name its header in quotes or angle brackets, not through a macro"
                : name.StartsWith('/') ? $"#include of an absolute path ({name}) is not allowed"
                : name.Split('/').Contains("..") ? $"#include with '..' ({name}) is not allowed"
                : null;
            if (problem is not null)
            {
                refused.Add(new Diagnostic(CDiagnostics.IncludeRefused, new TextSpan(directive.Index, directive.Length), problem,
                    "include headers by name: \"vmlinux.h\", <bpf/bpf_helpers.h>, <bpf/bpf_tracing.h>, <bpf/bpf_core_read.h>, or a header beside the program"));
            }
        }

        return refused.ToImmutable();
    }

    [GeneratedRegex(@"^[ \t]*#[ \t]*(?<keyword>include_next|include|import)\b(?<target>[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex Directive();
}
