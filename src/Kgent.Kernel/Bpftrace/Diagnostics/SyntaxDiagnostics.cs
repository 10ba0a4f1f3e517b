using static Kgent.Kernel.Bpftrace.Diagnostics.DiagnosticDescriptor;

namespace Kgent.Kernel.Bpftrace.Diagnostics;

/// <summary>Every diagnostic the bpftrace front end reports. KG10xx are lexical, KG11xx syntactic,
/// KG12xx about probes and attach points. Codes are stable: never renumber, only add.</summary>
public static class SyntaxDiagnostics
{
    public static readonly DiagnosticDescriptor InvalidCharacter = Error("KG1001", "invalid character");
    public static readonly DiagnosticDescriptor UnterminatedString = Error("KG1002", "unterminated string literal");
    public static readonly DiagnosticDescriptor InvalidEscape = Error("KG1003", "invalid escape sequence");
    public static readonly DiagnosticDescriptor InvalidInteger = Error("KG1004", "invalid integer literal");
    public static readonly DiagnosticDescriptor UnterminatedComment = Error("KG1005", "unterminated block comment");
    public static readonly DiagnosticDescriptor UnterminatedDefinition = Error("KG1006", "unterminated C definition");
    public static readonly DiagnosticDescriptor InvalidVariable = Error("KG1007", "invalid variable name");

    public static readonly DiagnosticDescriptor UnexpectedToken = Error("KG1101", "unexpected token");
    public static readonly DiagnosticDescriptor MissingSemicolon = Error("KG1102", "missing ';'");
    public static readonly DiagnosticDescriptor MissingCloseBrace = Error("KG1103", "missing '}'");
    public static readonly DiagnosticDescriptor ExpectedExpression = Error("KG1104", "expected an expression");
    public static readonly DiagnosticDescriptor InvalidAssignmentTarget = Error("KG1105", "invalid assignment target");
    public static readonly DiagnosticDescriptor InvalidIncrementTarget = Error("KG1106", "invalid increment target");
    public static readonly DiagnosticDescriptor UnknownFunction = Error("KG1107", "unknown function");
    public static readonly DiagnosticDescriptor MissingCloseParen = Error("KG1108", "missing ')'");
    public static readonly DiagnosticDescriptor NestingTooDeep = Error("KG1109", "nesting too deep");
    public static readonly DiagnosticDescriptor UnexpectedCloseBrace = Error("KG1110", "unmatched '}'");
    public static readonly DiagnosticDescriptor DefinitionAfterProbe = Error("KG1111", "C definition after a probe");
    public static readonly DiagnosticDescriptor TupleAssignment = Error("KG1112", "tuples are immutable");
    public static readonly DiagnosticDescriptor EmptyProgram = Error("KG1113", "no probes");
    public static readonly DiagnosticDescriptor ElseWithoutIf = Error("KG1114", "'else' without 'if'");
    public static readonly DiagnosticDescriptor AnnotationArity = Error("KG1115", "annotation takes one condition");
    public static readonly DiagnosticDescriptor ParenthesizedNameIsCast = Error("KG1116", "parenthesized name is read as a cast");
    public static readonly DiagnosticDescriptor EmptyStatement = Error("KG1117", "empty statement");
    public static readonly DiagnosticDescriptor UnsupportedType = Error("KG1118", "C type bpftrace does not know");

    public static readonly DiagnosticDescriptor UnknownProbeType = Error("KG1201", "unknown probe type");
    public static readonly DiagnosticDescriptor MalformedAttachPoint = Error("KG1202", "malformed attach point");
    public static readonly DiagnosticDescriptor MissingAttachPoint = Error("KG1203", "missing attach point");

    /// <summary>All descriptors, for documentation and for tests that codes stay unique.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        InvalidCharacter, UnterminatedString, InvalidEscape, InvalidInteger, UnterminatedComment,
        UnterminatedDefinition, InvalidVariable, UnexpectedToken, MissingSemicolon, MissingCloseBrace,
        ExpectedExpression, InvalidAssignmentTarget, InvalidIncrementTarget, UnknownFunction, MissingCloseParen,
        NestingTooDeep, UnexpectedCloseBrace, DefinitionAfterProbe, TupleAssignment, EmptyProgram, ElseWithoutIf,
        AnnotationArity, ParenthesizedNameIsCast, EmptyStatement, UnsupportedType, UnknownProbeType, MalformedAttachPoint, MissingAttachPoint,
    ];
}
