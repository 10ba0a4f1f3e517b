using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Parsing;

public sealed class StatementParserTests
{
    private static string Shape(string statement) => Parse.Flatten(SyntaxTreeDump.Dump(Parse.Statement(statement)));

    [Fact]
    public void Assignment_to_a_variable() => Assert.Equal("(assign = (var $a) (int 1))", Shape("$a = 1;"));

    [Fact]
    public void Assignment_to_a_keyed_map() =>
        Assert.Equal("(assign = (map @start (builtin tid)) (builtin nsecs))", Shape("@start[tid] = nsecs;"));

    [Theory]
    [InlineData("+=", BinaryOperator.Add)]
    [InlineData("-=", BinaryOperator.Subtract)]
    [InlineData("<<=", BinaryOperator.ShiftLeft)]
    [InlineData("|=", BinaryOperator.BitwiseOr)]
    [InlineData("%=", BinaryOperator.Modulo)]
    public void Compound_assignment_keeps_its_operator(string spelling, BinaryOperator op)
    {
        var assignment = Assert.IsType<AssignmentStatement>(Parse.Statement($"@bytes[comm] {spelling} 2;"));
        Assert.Equal(op, assignment.CompoundOperator);
    }

    [Fact]
    public void If_else_if_else_chain() =>
        Assert.Equal(
            "(if-else (var $a) (block (expr (call exit))) (if-else (var $b) (block (assign = (var $c) (int 1))) (block (return))))",
            Shape("if ($a) { exit(); } else if ($b) { $c = 1; } else { return; }"));

    [Fact]
    public void While_with_break_and_continue()
    {
        var loop = Assert.IsType<WhileStatement>(Parse.Statement("while ($i < 10) { if ($i == 5) { break; } $i++; continue; }"));
        Assert.Equal(3, loop.Body.Statements.Length);
        Assert.Equal(JumpKind.Continue, Assert.IsType<JumpStatement>(loop.Body.Statements[2]).Kind);
    }

    [Fact]
    public void Unroll_takes_a_literal_count() =>
        Assert.Equal("(unroll (int 4) (block (expr (postfix ++ (var $i)))))", Shape("unroll(4) { $i++; }"));

    [Fact]
    public void Return_with_and_without_a_value()
    {
        Assert.Null(Assert.IsType<JumpStatement>(Parse.Statement("return;")).Value);
        Assert.NotNull(Assert.IsType<JumpStatement>(Parse.Statement("return 1;")).Value);
    }

    [Fact]
    public void Last_statement_needs_no_semicolon()
    {
        var probe = Parse.Probe("BEGIN { $a = 1; printf(\"%d\\n\", $a) }");
        Assert.Equal(2, probe.Body.Statements.Length);
    }

    [Fact]
    public void Block_statements_need_no_semicolon_between_them()
    {
        var probe = Parse.Probe("BEGIN { if (1) { $a = 1; } while (0) { } unroll(2) { } $b = 2; }");
        Assert.Equal(4, probe.Body.Statements.Length);
    }

    [Fact]
    public void Assume_and_assert_are_annotation_statements()
    {
        var probe = Parse.Probe("BEGIN { assume($a > 0); $b = $a * 2; assert($b > $a); }");
        var assume = Assert.IsType<AnnotationStatement>(probe.Body.Statements[0]);
        var assert = Assert.IsType<AnnotationStatement>(probe.Body.Statements[2]);
        Assert.Equal(AnnotationKind.Assume, assume.Kind);
        Assert.Equal(AnnotationKind.Assert, assert.Kind);
        Assert.IsType<BinaryExpression>(assert.Condition);
    }

    [Fact]
    public void Annotation_names_are_ordinary_names_elsewhere()
    {
        var probe = Parse.Probe("BEGIN { @assert = 1; $assume = 2; }");
        Assert.All(probe.Body.Statements, s => Assert.IsType<AssignmentStatement>(s));
    }

    [Fact]
    public void Stripper_removes_annotations_at_every_depth_and_nothing_else()
    {
        var program = Parse.Program("BEGIN { assume($a > 0); if ($a) { assert($a != 0); $b = 1; } else { assert(1); } while ($a) { assume(1); $a--; } }");
        Assert.Equal(4, AnnotationStripper.CountAnnotations(program));

        var stripped = AnnotationStripper.Strip(program);

        Assert.Equal(0, AnnotationStripper.CountAnnotations(stripped));
        Assert.Equal(
            Parse.Flatten(SyntaxTreeDump.Dump(Parse.Program("BEGIN { if ($a) { $b = 1; } else { } while ($a) { $a--; } }"))),
            Parse.Flatten(SyntaxTreeDump.Dump(stripped)));
    }
}
