using System.Net;
using System.Text.RegularExpressions;
using System.Text;
using Kgent.Kernel.Bpftrace.Language;

namespace Kgent.Notebook.Html;

/// <summary>Small HTML helpers: escaping, collapsible sections, badges, and bpftrace syntax highlighting (classes
/// <c>kg-comment</c>, <c>kg-string</c>, <c>kg-number</c>, <c>kg-var</c>, <c>kg-map</c>, <c>kg-builtin</c>,
/// <c>kg-function</c>, <c>kg-keyword</c>, <c>kg-probe</c>; annotation lines get <c>kg-annotation</c>).</summary>
public static partial class HtmlText
{
    public const string Style = """
        <style>
        .kg{font-family:system-ui,sans-serif;font-size:13px;border:1px solid #d0d7de;border-radius:6px;padding:8px 10px;margin:4px 0}
        .kg pre{background:#f6f8fa;padding:8px;border-radius:4px;overflow-x:auto;font-size:12px;line-height:1.45}
        .kg-provenance{color:#8250df;font-style:italic}
        .kg-badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600;font-size:12px}
        .kg-ok{background:#1a7f37}.kg-bad{background:#cf222e}.kg-warn{background:#9a6700}.kg-info{background:#57606a}
        .kg-comment{color:#6e7781}.kg-string{color:#0a3069}.kg-number{color:#0550ae}.kg-var{color:#953800}.kg-map{color:#8250df}
        .kg-builtin{color:#116329}.kg-function{color:#6639ba}.kg-keyword{color:#cf222e;font-weight:600}.kg-probe{color:#0550ae;font-weight:600}
        .kg-annotation{background:#fff8c5;display:inline-block;width:100%}.kg-error-line{background:#ffebe9;display:inline-block;width:100%}
        .kg table{border-collapse:collapse}.kg td,.kg th{border:1px solid #d0d7de;padding:2px 6px;text-align:left}
        .kg-diag{color:#cf222e;margin:2px 0}.kg-hint{color:#57606a}
        </style>
        """;

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Badge(string text, string kind) => $"<span class='kg-badge kg-{kind}'>{E(text)}</span>";

    public static string Details(string summary, string body, bool open = false) =>
        $"<details{(open ? " open" : string.Empty)}><summary>{E(summary)}</summary>{body}</details>";

    /// <summary>The program as highlighted HTML lines; <paramref name="markedLines"/> (1-based) get the error background.</summary>
    public static string Program(string text, IReadOnlySet<int>? markedLines = null, IReadOnlyDictionary<int, string>? lineNotes = null)
    {
        var c = Kgent.Kernel.Libbpf.CSource.LooksLikeC(text);
        var builder = new StringBuilder(c ? "<pre class='kg-program kg-lang-c'>" : "<pre class='kg-program'>");
        var lines = text.TrimEnd('\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var css = markedLines?.Contains(i + 1) == true ? "kg-error-line"
                : AnnotationLine().IsMatch(line) ? "kg-annotation" : null;
            var highlighted = c ? HighlightC(line) : Highlight(line);
            builder.Append($"<span class='kg-line' data-line='{i + 1}'>");
            builder.Append(css is null ? highlighted : $"<span class='{css}'>{highlighted}</span>");
            if (lineNotes?.GetValueOrDefault(i + 1) is { } note)
            {
                builder.Append($"<span class='kg-provenance'>  ← {E(note)}</span>");
            }

            builder.Append("</span>\n");
        }

        return builder.Append("</pre>").ToString();
    }

    private static string Highlight(string line)
    {
        if (ProbeHeader().IsMatch(line))
        {
            return $"<span class='kg-probe'>{E(line)}</span>";
        }

        return Tokens(line, (token, value) =>
            token.Groups["var"].Success ? "kg-var"
            : token.Groups["map"].Success ? "kg-map"
            : token.Groups["word"].Success && BpftraceVocabulary.Keywords.Contains(value) ? "kg-keyword"
            : token.Groups["word"].Success && (value is "assume" or "assert") ? "kg-keyword"
            : token.Groups["word"].Success && BpftraceVocabulary.IsBuiltin(value) ? "kg-builtin"
            : token.Groups["word"].Success && (BpftraceVocabulary.IsFunction(value) || BpftraceVocabulary.AnnotationFunctions.Contains(value)) ? "kg-function"
            : null);
    }

    /// <summary>A line's tokens as HTML: comments, strings and numbers as in every language, the rest as
    /// <paramref name="classify"/> says (null: plain).</summary>
    private static string Tokens(string line, Func<Match, string, string?> classify)
    {
        var builder = new StringBuilder();
        foreach (Match token in Token().Matches(line))
        {
            var value = token.Value;
            var css = token.Groups["comment"].Success ? "kg-comment"
                : token.Groups["string"].Success ? "kg-string"
                : token.Groups["number"].Success ? "kg-number"
                : classify(token, value);
            builder.Append(css is null ? E(value) : $"<span class='{css}'>{E(value)}</span>");
        }

        return builder.ToString();
    }

    /// <summary>C: preprocessor lines, C keywords, <c>SEC</c> and the sections' strings, BPF helpers and libbpf's macros.</summary>
    private static string HighlightC(string line)
    {
        if (line.TrimStart().StartsWith('#'))
        {
            return $"<span class='kg-keyword'>{E(line)}</span>";
        }

        return Tokens(line, (token, value) =>
            !token.Groups["word"].Success ? null
            : CKeywords.Contains(value) ? "kg-keyword"
            : value == "SEC" ? "kg-probe"
            : value.StartsWith("bpf_", StringComparison.Ordinal) ? "kg-function"
            : value.StartsWith("BPF_", StringComparison.Ordinal) || value.StartsWith("__u", StringComparison.Ordinal) && value.Length < 6 ? "kg-builtin"
            : null);
    }

    private static readonly HashSet<string> CKeywords =
    [
        "struct", "union", "enum", "const", "volatile", "static", "inline", "return", "if", "else", "for", "while", "do", "break", "continue",
        "sizeof", "char", "int", "long", "short", "unsigned", "signed", "void", "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
        "__always_inline", "true", "false", "switch", "case", "default", "goto",
    ];

    [GeneratedRegex(@"(?<comment>//.*$)|(?<string>""(?:\\.|[^""\\])*"")|(?<number>\b0x[0-9a-fA-F]+\b|\b\d+\b)|(?<var>\$\w+)|(?<map>@\w*)|(?<word>[A-Za-z_]\w*)|(?<other>\s+|.)")]
    private static partial Regex Token();

    [GeneratedRegex(@"^\s*(assume|assert)\s*\(")]
    private static partial Regex AnnotationLine();

    [GeneratedRegex(@"^(BEGIN|END|[a-z]+:[^\s{]*)\s*(,.*)?$")]
    private static partial Regex ProbeHeader();
}
