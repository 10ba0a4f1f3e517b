namespace Kgent.Kernel.Bpftrace.Syntax.Expressions;

/// <summary>Spelling and precedence of operators, as in bpftrace's grammar (C's, without the comma operator).</summary>
public static class OperatorFacts
{
    public const int ConditionalPrecedence = 1;
    public const int UnaryPrecedence = 12;
    public const int PostfixPrecedence = 13;
    public const int PrimaryPrecedence = 14;

    public static int Precedence(BinaryOperator op) => op switch
    {
        BinaryOperator.LogicalOr => 2,
        BinaryOperator.LogicalAnd => 3,
        BinaryOperator.BitwiseOr => 4,
        BinaryOperator.BitwiseXor => 5,
        BinaryOperator.BitwiseAnd => 6,
        BinaryOperator.Equal or BinaryOperator.NotEqual => 7,
        BinaryOperator.Less or BinaryOperator.Greater or BinaryOperator.LessOrEqual or BinaryOperator.GreaterOrEqual => 8,
        BinaryOperator.ShiftLeft or BinaryOperator.ShiftRight => 9,
        BinaryOperator.Add or BinaryOperator.Subtract => 10,
        _ => 11,
    };

    public static string Spelling(BinaryOperator op) => op switch
    {
        BinaryOperator.LogicalOr => "||",
        BinaryOperator.LogicalAnd => "&&",
        BinaryOperator.BitwiseOr => "|",
        BinaryOperator.BitwiseXor => "^",
        BinaryOperator.BitwiseAnd => "&",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.Greater => ">",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.ShiftLeft => "<<",
        BinaryOperator.ShiftRight => ">>",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Spelling(UnaryOperator op) => op switch
    {
        UnaryOperator.Negate => "-",
        UnaryOperator.LogicalNot => "!",
        UnaryOperator.BitwiseNot => "~",
        UnaryOperator.Dereference => "*",
        UnaryOperator.PreIncrement or UnaryOperator.PostIncrement => "++",
        UnaryOperator.AddressOf => "&",
        _ => "--",
    };

    /// <summary>How tightly an expression binds, for deciding where the printer needs parentheses.</summary>
    public static int Precedence(Expression expression) => expression switch
    {
        RangeExpression => 0,
        ConditionalExpression => ConditionalPrecedence,
        BinaryExpression binary => Precedence(binary.Operator),
        UnaryExpression { IsPostfix: true } => PostfixPrecedence,
        UnaryExpression or CastExpression => UnaryPrecedence,
        IntegerLiteral { IsNegative: true } => UnaryPrecedence,
        FieldAccessExpression or IndexExpression or TupleAccessExpression => PostfixPrecedence,
        _ => PrimaryPrecedence,
    };
}
