using System.Text.RegularExpressions;
using Kgent.Kernel.Bpftrace.Syntax;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Semantics;

/// <summary>Follows the program's <c>#if…#endif</c> structure with the macros bpftrace defines (<c>BPFTRACE_HAVE_BTF</c>
/// when the kernel has BTF), checks each active <c>#include</c>, and collects the names the C part defines.</summary>
internal static partial class PreprocessorAnalyzer
{
    public const string HaveBtfMacro = "BPFTRACE_HAVE_BTF";

    public static PreprocessorFacts Analyze(BpftraceProgram program, CheckContext context)
    {
        var headers = new HeaderIndex(context.Options.EffectiveIncludeDirectories);
        var defined = new HashSet<string>(StringComparer.Ordinal);
        if (context.Catalog.HasBtf)
        {
            defined.Add(HaveBtfMacro);
        }

        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        var userTypes = new HashSet<string>(StringComparer.Ordinal);
        var complete = true;
        var stack = new Stack<Branch>();
        bool Active() => stack.All(b => b.Active);
        bool MentionsBtf() => stack.Any(b => b.Condition.Contains(HaveBtfMacro, StringComparison.Ordinal));

        foreach (var item in program.Items)
        {
            if (item is CDefinition definition)
            {
                if (Active())
                {
                    CollectDefinitions(definition.Text, identifiers, userTypes);
                }

                continue;
            }

            if (item is not PreprocessorDirective directive)
            {
                continue;
            }

            var match = Directive().Match(directive.Text);
            if (!match.Success)
            {
                continue;
            }

            var keyword = match.Groups["kw"].Value;
            var rest = match.Groups["rest"].Value.Trim();
            switch (keyword)
            {
                case "ifdef":
                    stack.Push(new Branch(defined.Contains(FirstWord(rest)), rest));
                    break;
                case "ifndef":
                    stack.Push(new Branch(!defined.Contains(FirstWord(rest)), rest));
                    break;
                case "if":
                    stack.Push(new Branch(Evaluate(rest, defined) ?? true, rest));
                    break;
                case "elif" when stack.Count > 0:
                {
                    var top = stack.Pop();
                    var value = !top.Taken && (Evaluate(rest, defined) ?? true);
                    stack.Push(new Branch(value, top.Condition + " " + rest, top.Taken || value));
                    break;
                }

                case "else" when stack.Count > 0:
                {
                    var top = stack.Pop();
                    stack.Push(new Branch(!top.Taken, top.Condition, true));
                    break;
                }

                case "endif" when stack.Count > 0:
                    stack.Pop();
                    break;
                case "define" when Active():
                    var name = FirstWord(rest.Split('(')[0]);
                    defined.Add(name);
                    identifiers.Add(name);
                    break;
                case "undef" when Active():
                    defined.Remove(FirstWord(rest));
                    break;
                case "include":
                    complete &= CheckInclude(rest, directive.Span, Active(), MentionsBtf(), headers, identifiers, context);
                    break;
            }
        }

        return new PreprocessorFacts(identifiers, userTypes, complete);
    }

    private static bool CheckInclude(string target, TextSpan span, bool active, bool mentionsBtf, HeaderIndex headers,
        HashSet<string> identifiers, CheckContext context)
    {
        var name = target.Trim().Trim('<', '>', '"');
        var resolved = headers.Resolve(name);
        if (!active)
        {
            if (resolved is null && mentionsBtf)
            {
                context.Report(SemanticDiagnostics.FallbackHeaderMissing, span,
                    $"<{name}> is not installed; bpftrace 0.17 reads this branch when it cannot use BTF for a struct, and then fails",
                    "with BTF this branch is normally skipped; if bpftrace reports the header missing, access the struct through a tracepoint field or install kernel headers");
            }

            return true;
        }

        if (resolved is null)
        {
            var btf = context.Catalog.HasBtf;
            context.Report(SemanticDiagnostics.HeaderNotFound, span,
                $"'{name}' file not found in {string.Join(", ", headers.IncludeDirectories)}",
                btf ? "this kernel has BTF, so kernel structs need no header: remove the #include (or guard it with #ifndef BPFTRACE_HAVE_BTF)"
                    : "install the kernel headers for this kernel, or use a kernel with BTF");
            return false;
        }

        if (context.Catalog.Btf is { } graph)
        {
            if (headers.UsesSuppressedLinuxTypes(resolved, name => graph.FindTypedef(name) is not null) is { } use)
            {
                context.Report(SemanticDiagnostics.HeaderUnusableWithBtf, span,
                    $"<{name}> does not compile under bpftrace with BTF: {use.File} uses '{use.Name}', which only <linux/types.h> defines, and bpftrace suppresses that header when BTF is present",
                    $"remove the #include (BTF already describes kernel structs) or guard it with #ifndef {HaveBtfMacro}");
                return false;
            }
        }

        identifiers.UnionWith(headers.DefinedNames(resolved));
        return true;
    }

    private static void CollectDefinitions(string text, HashSet<string> identifiers, HashSet<string> userTypes)
    {
        userTypes.UnionWith(CDeclarations.Composites(text));
        userTypes.UnionWith(CDeclarations.Typedefs(text));
        identifiers.UnionWith(CDeclarations.EnumConstants(text));
        identifiers.UnionWith(CDeclarations.Macros(text));
    }

    /// <summary>Evaluates <c>defined(X)</c>, <c>!defined(X)</c>, <c>0</c> and <c>1</c>; null for anything else.</summary>
    private static bool? Evaluate(string condition, HashSet<string> defined)
    {
        var text = condition.Trim();
        var negate = false;
        while (text.StartsWith('!'))
        {
            negate = !negate;
            text = text[1..].Trim();
        }

        bool? value = text switch
        {
            "0" => false,
            "1" => true,
            _ when DefinedCall().Match(text) is { Success: true } m => defined.Contains(m.Groups[1].Value),
            _ => null,
        };
        return value is null ? null : value.Value ^ negate;
    }

    private static string FirstWord(string text) => text.Trim().Split([' ', '\t'], 2)[0];

    private sealed record Branch(bool Active, string Condition, bool Taken)
    {
        public Branch(bool active, string condition) : this(active, condition, active)
        {
        }
    }

    [GeneratedRegex(@"^\s*#\s*(?<kw>\w+)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"^defined\s*\(?\s*(\w+)\s*\)?$")]
    private static partial Regex DefinedCall();
}
