using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Parsing;

namespace Kgent.Kernel.Tests.Diagnostics;

/// <summary>Each mistake gives the right code, at the right place, with a hint a person or the prompter can act on.</summary>
public sealed class SyntaxErrorTests
{
    private static Diagnostic Single(string text, string code)
    {
        var result = BpftraceParser.Parse(text, "e.bt");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        return diagnostic;
    }

    private static string At(string text, Diagnostic diagnostic) => text.Substring(diagnostic.Span.Start, diagnostic.Span.Length);

    [Fact]
    public void Missing_semicolon_points_just_after_the_statement()
    {
        const string text = "BEGIN {\n  $a = 1\n  $b = 2;\n}";
        var diagnostic = Single(text, "KG1102");

        Assert.Equal(text.IndexOf("1\n", StringComparison.Ordinal) + 1, diagnostic.Span.Start);
        Assert.Equal("insert ';' here", diagnostic.Hint);
    }

    [Fact]
    public void Missing_close_brace_at_end_of_file_points_at_the_open_brace()
    {
        const string text = "BEGIN {\n  $a = 1;\n";
        var diagnostic = Single(text, "KG1103");

        Assert.Equal("{", At(text, diagnostic));
        Assert.Contains("never closed", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_close_brace_before_the_next_probe_names_the_open_line_and_parses_the_next_probe()
    {
        const string text = "BEGIN {\n  $a = 1;\n\nEND { exit(); }";
        var result = BpftraceParser.Parse(text, "e.bt");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("KG1103", diagnostic.Code);
        Assert.Contains("line 1", diagnostic.Hint, StringComparison.Ordinal);
        Assert.Equal(2, result.Program.Probes.Count());
    }

    [Theory]
    [InlineData("kprobee:vfs_read { }", "kprobee", "kprobe")]
    [InlineData("tracepiont:syscalls:sys_enter_open { }", "tracepiont", "tracepoint")]
    [InlineData("uprboe:/bin/bash:readline { }", "uprboe", "uprobe")]
    public void Unknown_probe_type_suggests_the_closest(string text, string typo, string suggestion)
    {
        var diagnostic = Single(text, "KG1201");

        Assert.Equal(typo, At(text, diagnostic));
        Assert.Equal($"did you mean '{suggestion}'?", diagnostic.Hint);
    }

    [Theory]
    [InlineData("tracepoint:syscalls { }", "tracepoint:CATEGORY:EVENT")]
    [InlineData("watchpoint:0x1000 { }", "watchpoint:ADDRESS:LENGTH:MODE")]
    [InlineData("kprobe: { }", "kprobe:FUNCTION")]
    public void Malformed_attach_point_shows_the_expected_form(string text, string usage)
    {
        var diagnostic = Single(text, "KG1202");
        Assert.Contains(usage, diagnostic.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prinft", "printf")]
    [InlineData("cout", "count")]
    [InlineData("hsit", "hist")]
    public void Unknown_function_suggests_the_closest(string typo, string suggestion)
    {
        var text = $"BEGIN {{ {typo}(1); }}";
        var diagnostic = Single(text, "KG1107");

        Assert.Equal(typo, At(text, diagnostic));
        Assert.Equal($"did you mean '{suggestion}'?", diagnostic.Hint);
    }

    [Fact]
    public void Calling_a_builtin_is_bpftrace_0_24s_call_style_which_0_17_lacks()
    {
        var parse = BpftraceParser.Parse("BEGIN { $a = pid(); }", "call-style.bt");
        Assert.Empty(parse.Diagnostics);

        var diagnostic = Assert.Single(Kgent.Kernel.Semantics.SemanticChecker.Check(parse, Support.Catalogs.Snapshot).Errors);
        Assert.Equal("KG2701", diagnostic.Code);
        Assert.Contains("`pid()` needs bpftrace 0.24, which added call-style builtins", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal("on bpftrace 0.17, write pid", diagnostic.Hint);
    }

    [Fact]
    public void Byte_order_functions_exist_only_inside_annotations()
    {
        Assert.Empty(BpftraceParser.Parse("BEGIN { $p = (uint16)1; assert(ntohs($p) == 256 && htonl(1) == 16777216); }").Diagnostics);

        var diagnostic = Single("BEGIN { $p = ntohs(1); }", "KG1107");
        Assert.Contains("only inside assume", diagnostic.Hint, StringComparison.Ordinal);
        Assert.Contains("bswap()", diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_in_one_pass()
    {
        const string text = "BEGIN {\n  $a = 1\n  prinft(\"x\");\n}\nkprobee:f { @x = ; }\nEND { $b = \"oops; }\n";
        var result = BpftraceParser.Parse(text, "e.bt");

        Assert.Equal(["KG1102", "KG1107", "KG1201", "KG1104", "KG1002"], result.Diagnostics.Select(d => d.Code));
        Assert.Equal(3, result.Program.Probes.Count());
    }

    [Fact]
    public void Unterminated_string_is_reported_and_parsing_continues_on_the_next_line()
    {
        var result = BpftraceParser.Parse("BEGIN { printf(\"abc);\n}\nEND { exit(); }", "e.bt");

        Assert.Contains(result.Diagnostics, d => d.Code == "KG1002");
        Assert.Equal(2, result.Program.Probes.Count());
    }

    [Fact]
    public void Invalid_escape_lists_the_valid_ones()
    {
        var diagnostic = Single("BEGIN { printf(\"\\e[1m\"); }", "KG1003");
        Assert.Contains("\\xHH", diagnostic.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5ks", "duration")]
    [InlineData("0b101", "binary")]
    [InlineData("0x1g", "hex")]
    [InlineData("08", "octal")]
    [InlineData("99999999999999999999", "64 bits")]
    public void Invalid_integer_literals(string literal, string explanation)
    {
        var diagnostic = Single($"BEGIN {{ $a = {literal}; }}", "KG1004");
        Assert.Contains(explanation, diagnostic.Message + " " + diagnostic.Hint, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parenthesized_constant_is_the_bpftrace_cast_gotcha()
    {
        var diagnostic = Single("BEGIN { $a = (AF_INET) + 1; }", "KG1116");
        Assert.Equal("write AF_INET without the parentheses", diagnostic.Hint);
    }

    [Fact]
    public void C_type_spellings_bpftrace_lacks_get_the_bpftrace_name()
    {
        var diagnostic = Single("BEGIN { $a = (unsigned int)$b; }", "KG1118");
        Assert.Equal("write 'uint32' instead", diagnostic.Hint);
    }

    [Theory]
    [InlineData("BEGIN { ; }", "remove the extra ';'")]
    [InlineData("BEGIN { if (1) { } ; }", "no ';' is needed after '}'")]
    public void Empty_statements_are_errors_as_in_bpftrace(string text, string hint) =>
        Assert.Equal(hint, Single(text, "KG1117").Hint);

    [Theory]
    [InlineData("BEGIN { pid = 1; }", "scratch variable")]
    [InlineData("BEGIN { $t = (1, 2); $t.0 = 3; }", "new tuple")]
    [InlineData("BEGIN { args->x = 1; }", "only reads memory")]
    [InlineData("BEGIN { count = 1; }", "$count")]
    public void Invalid_assignment_targets(string text, string hint)
    {
        var result = BpftraceParser.Parse(text, "e.bt");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains(hint, diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void If_without_braces_is_reported_and_its_statement_still_parsed()
    {
        var result = BpftraceParser.Parse("BEGIN { if ($a) exit(); $b = 1; }", "e.bt");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("braces", diagnostic.Hint, StringComparison.Ordinal);
        Assert.Equal(2, result.Program.Probes.Single().Body.Statements.Length);
    }

    [Fact]
    public void Directives_after_a_probe_must_move_to_the_top()
    {
        var diagnostic = Single("BEGIN { }\n#include <linux/sched.h>\n", "KG1111");
        Assert.Contains("top", diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_probes_says_so()
    {
        var diagnostic = Single("// nothing here\n", "KG1113");
        Assert.NotNull(diagnostic.Hint);
    }

    [Fact]
    public void Unmatched_close_brace_at_top_level()
    {
        var result = BpftraceParser.Parse("BEGIN { } }\nEND { }", "e.bt");
        Assert.Equal("KG1110", Assert.Single(result.Diagnostics).Code);
        Assert.Equal(2, result.Program.Probes.Count());
    }

    [Fact]
    public void Deep_nesting_is_reported_not_overflowed()
    {
        var text = "BEGIN { $a = " + new string('(', 50_000) + "1" + new string(')', 50_000) + "; $b = 2; }";
        var result = BpftraceParser.Parse(text, "e.bt");

        Assert.Contains(result.Diagnostics, d => d.Code == "KG1109");
        Assert.Equal(2, result.Program.Probes.Single().Body.Statements.Length);
    }

    [Fact]
    public void Diagnostic_codes_are_unique()
    {
        var codes = SyntaxDiagnostics.All.Select(d => d.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^KG1[0-9]{3}$", code));
    }
}
