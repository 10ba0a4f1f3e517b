using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Parsing;

public sealed class ExpressionParserTests
{
    [Fact]
    public void Multiplication_binds_tighter_than_addition() =>
        Assert.Equal("(binary + (int 1) (binary * (int 2) (int 3)))", Parse.Shape("1 + 2 * 3"));

    [Fact]
    public void Subtraction_is_left_associative() =>
        Assert.Equal("(binary - (binary - (int 1) (int 2)) (int 3))", Parse.Shape("1 - 2 - 3"));

    [Fact]
    public void Shift_binds_tighter_than_comparison_which_binds_tighter_than_equality() =>
        Assert.Equal("(binary == (binary < (binary << (int 1) (int 2)) (int 3)) (int 4))", Parse.Shape("1 << 2 < 3 == 4"));

    [Fact]
    public void Bitwise_operators_follow_c_precedence() =>
        Assert.Equal("(binary | (int 1) (binary ^ (int 2) (binary & (int 3) (int 4))))", Parse.Shape("1 | 2 ^ 3 & 4"));

    [Fact]
    public void Logical_and_binds_tighter_than_or() =>
        Assert.Equal("(binary || (var $a) (binary && (var $b) (var $c)))", Parse.Shape("$a || $b && $c"));

    [Fact]
    public void Conditional_is_right_associative() =>
        Assert.Equal("(?: (int 1) (int 2) (?: (int 3) (int 4) (int 5)))", Parse.Shape("1 ? 2 : 3 ? 4 : 5"));

    [Fact]
    public void Parentheses_override_precedence() =>
        Assert.Equal("(binary * (int 2) (binary + (int 3) (int 4)))", Parse.Shape("2 * (3 + 4)"));

    [Fact]
    public void Minus_before_an_integer_is_a_negative_literal_like_bpftrace()
    {
        var literal = Assert.IsType<IntegerLiteral>(Parse.Expression("-5"));
        Assert.True(literal.IsNegative);
        Assert.Equal(-5, literal.SignedValue);
        Assert.Equal("(binary - (int 1) (int -2))", Parse.Shape("1 - -2"));
    }

    [Fact]
    public void Minus_before_other_expressions_is_negation() =>
        Assert.Equal("(prefix - (var $a))", Parse.Shape("-$a"));

    [Fact]
    public void Unary_operators_bind_tighter_than_binary_ones() =>
        Assert.Equal("(binary && (prefix ! (var $a)) (prefix ~ (var $b)))", Parse.Shape("!$a && ~$b"));

    [Fact]
    public void Dereference_applies_to_the_cast_that_follows() =>
        Assert.Equal("(binary + (prefix * (cast \"uint32 *\" (var $p))) (int 1))", Parse.Shape("*(uint32 *)$p + 1"));

    [Fact]
    public void Cast_to_struct_pointer()
    {
        var cast = Assert.IsType<CastExpression>(Parse.Expression("(struct sock *)arg0"));
        Assert.Equal("struct sock", cast.Type.Name);
        Assert.Equal(1, cast.Type.PointerDepth);
        Assert.True(cast.Type.IsRecord);
        Assert.IsType<BuiltinExpression>(cast.Operand);
    }

    [Fact]
    public void Cast_to_integer_type_binds_tighter_than_multiplication() =>
        Assert.Equal("(binary * (cast \"uint8\" (var $a)) (int 2))", Parse.Shape("(uint8)$a * 2"));

    [Fact]
    public void Cast_to_a_typedef_name_and_double_pointer() =>
        Assert.Equal("(binary + (cast \"pid_t\" (int 1)) (cast \"struct foo **\" (int 2)))", Parse.Shape("(pid_t)1 + (struct foo **)2"));

    [Fact]
    public void Arrow_and_dot_chain_left_to_right() =>
        Assert.Equal("(. skc_dport (-> __sk_common (var $sk)))", Parse.Shape("$sk->__sk_common.skc_dport"));

    [Fact]
    public void Field_access_on_tracepoint_args() =>
        Assert.Equal("(call str (-> filename (builtin args)))", Parse.Shape("str(args->filename)"));

    [Fact]
    public void Array_indexing_after_field_access() =>
        Assert.Equal("(index (. u6_addr8 (-> in6_u (var $a))) (int 3))", Parse.Shape("$a->in6_u.u6_addr8[3]"));

    [Fact]
    public void Tuples_and_nested_tuple_access() =>
        Assert.Equal("(tuple-get 1 (tuple-get 2 (var $t)))", Parse.Shape("$t.2.1"));

    [Fact]
    public void Tuple_literal_with_mixed_elements()
    {
        var tuple = Assert.IsType<TupleExpression>(Parse.Expression("(1, \"two\", (3, 4))"));
        Assert.Equal(3, tuple.Elements.Length);
        Assert.IsType<TupleExpression>(tuple.Elements[2]);
    }

    [Fact]
    public void Map_with_tuple_key_and_anonymous_map()
    {
        var map = Assert.IsType<MapExpression>(Parse.Expression("@bytes[comm, pid]"));
        Assert.Equal("@bytes", map.Name);
        Assert.Equal(2, map.Keys.Length);
        Assert.Equal("@", Assert.IsType<MapExpression>(Parse.Expression("@")).Name);
    }

    [Fact]
    public void Builtins_identifiers_variables_and_parameters_are_told_apart() =>
        Assert.Equal("(tuple (builtin pid) (ident AF_INET) (var $v) (param $1) (param $#) (builtin arg3))", Parse.Shape("(pid, AF_INET, $v, $1, $#, arg3)"));

    [Fact]
    public void Calls_with_nested_calls_and_stack_modes() =>
        Assert.Equal("(call hist (call kstack (ident perf) (int 3)))", Parse.Shape("hist(kstack(perf, 3))"));

    [Fact]
    public void Sizeof_takes_a_struct_type() =>
        Assert.Equal("(call sizeof (type \"struct task_struct\"))", Parse.Shape("sizeof(struct task_struct)"));

    [Fact]
    public void String_escapes_are_decoded()
    {
        var text = Assert.IsType<StringLiteral>(Parse.Expression("\"a\\tb\\n\\\"q\\\" \\\\ \\x41\\101\""));
        Assert.Equal("a\tb\n\"q\" \\ AA", text.Value);
    }

    [Theory]
    [InlineData("0x1f", 31UL)]
    [InlineData("010", 8UL)]
    [InlineData("1_000_000", 1_000_000UL)]
    [InlineData("5e3", 5000UL)]
    [InlineData("12ull", 12UL)]
    [InlineData("7LL", 7UL)]
    [InlineData("0xffffffffffffffff", ulong.MaxValue)]
    public void Integer_literal_forms(string text, ulong value)
    {
        var literal = Assert.IsType<IntegerLiteral>(Parse.Expression(text));
        Assert.Equal(value, literal.Value);
        Assert.Equal(text, literal.Text);
    }

    [Fact]
    public void Pre_and_post_increment_of_maps_and_variables() =>
        Assert.Equal("(tuple (postfix ++ (map @n)) (prefix -- (var $i)))", Parse.Shape("(@n++, --$i)"));

    [Fact]
    public void Spans_cover_exactly_the_expression_text()
    {
        const string text = "BEGIN { $x = (uint8)$a * 2 + f->g; }";
        var value = ((Bpftrace.Syntax.Statements.AssignmentStatement)Parse.Probe(text).Body.Statements[0]).Value;
        Assert.Equal("(uint8)$a * 2 + f->g", text.Substring(value.Span.Start, value.Span.Length));
    }
}
