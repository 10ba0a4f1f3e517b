using Kgent.Kernel.Bpftrace.Diagnostics;
using static Kgent.Kernel.Bpftrace.Diagnostics.DiagnosticDescriptor;

namespace Kgent.Kernel.Semantics;

/// <summary>Every diagnostic the semantic checker reports. KG20xx: probes and attach points; KG21xx: probe types
/// this kernel cannot attach (a class of its own: the program may be right for another kernel); KG22xx: fields,
/// structs and identifiers; KG23xx: functions and builtins; KG24xx: printf formats; KG25xx: maps and variables;
/// KG26xx: headers and kernel symbols; KG30xx: safety (what bpftrace only runs with --unsafe, and file access).
/// Codes are stable: never renumber, only add.</summary>
public static class SemanticDiagnostics
{
    public static readonly DiagnosticDescriptor UnknownTracepoint = Error("KG2001", "unknown tracepoint");
    public static readonly DiagnosticDescriptor UnknownTracepointCategory = Error("KG2002", "unknown tracepoint category");
    public static readonly DiagnosticDescriptor UnknownKernelFunction = Error("KG2003", "unknown kernel function");
    public static readonly DiagnosticDescriptor WildcardMatchesNothing = Error("KG2004", "wildcard matches no probe");
    public static readonly DiagnosticDescriptor UprobeTargetMissing = Error("KG2005", "uprobe target not found");
    public static readonly DiagnosticDescriptor UnknownPerfEvent = Error("KG2006", "unknown perf event");
    public static readonly DiagnosticDescriptor InvalidProbeRate = Error("KG2007", "invalid profile/interval rate");
    public static readonly DiagnosticDescriptor DuplicateSpecialProbe = Error("KG2008", "more than one BEGIN or END");

    public static readonly DiagnosticDescriptor ProbeTypeUnavailable = Error("KG2101", "probe type not available on this kernel");

    /// <summary>True for an error about this host, not the program (a probe type the kernel cannot attach): reasoning
    /// about the program, as the symbolic verifier does, still makes sense.</summary>
    public static bool IsHostLimitation(Diagnostic diagnostic) => diagnostic.Descriptor == ProbeTypeUnavailable;
    public static readonly DiagnosticDescriptor NoBtf = Warning("KG2102", "no kernel BTF");

    public static readonly DiagnosticDescriptor UnknownTracepointField = Error("KG2201", "unknown tracepoint field");
    public static readonly DiagnosticDescriptor ArgumentBeyondArity = Error("KG2202", "argument beyond the function's parameters");
    public static readonly DiagnosticDescriptor UnknownStruct = Error("KG2203", "unknown struct or union");
    public static readonly DiagnosticDescriptor UnknownField = Error("KG2204", "unknown field");
    public static readonly DiagnosticDescriptor WrongAccessOperator = Error("KG2205", "wrong field access operator");

    /// <summary>The program uses a language feature that a newer bpftrace added (datasets/bpftrace-versions); the message
    /// names the release and the spelling for the target.</summary>
    public static readonly DiagnosticDescriptor NeedsNewerBpftrace = Error("KG2701", "needs a newer bpftrace than the target");
    public static readonly DiagnosticDescriptor RemovedFromBpftrace = Error("KG2702", "removed from the target bpftrace");
    public static readonly DiagnosticDescriptor DeprecatedInBpftrace = Warning("KG2703", "deprecated in the target bpftrace");
    public static readonly DiagnosticDescriptor BugInBpftrace = Error("KG2704", "a bug of the target bpftrace changes what the program does");
    public static readonly DiagnosticDescriptor NotAStruct = Error("KG2206", "field access on a value that is not a struct");
    public static readonly DiagnosticDescriptor UnknownIdentifier = Error("KG2207", "unknown identifier");
    public static readonly DiagnosticDescriptor UnknownType = Error("KG2208", "unknown type");
    public static readonly DiagnosticDescriptor DataLocString = Error("KG2209", "__data_loc string field");

    public static readonly DiagnosticDescriptor BuiltinNotInProbe = Error("KG2301", "builtin not available in this probe type");
    public static readonly DiagnosticDescriptor WrongArity = Error("KG2302", "wrong number of arguments");
    public static readonly DiagnosticDescriptor WrongArgumentKind = Error("KG2303", "wrong kind of argument");
    public static readonly DiagnosticDescriptor AggregationNotAssigned = Error("KG2304", "aggregation not assigned to a map");
    public static readonly DiagnosticDescriptor InvalidHistogramBounds = Error("KG2305", "invalid lhist bounds");
    public static readonly DiagnosticDescriptor FunctionNotInProbe = Error("KG2306", "function not available in this probe type");

    public static readonly DiagnosticDescriptor FormatNotLiteral = Error("KG2401", "format must be a string literal");
    public static readonly DiagnosticDescriptor FormatTooFewArguments = Error("KG2402", "not enough arguments for format");
    public static readonly DiagnosticDescriptor FormatTooManyArguments = Error("KG2403", "too many arguments for format");
    public static readonly DiagnosticDescriptor FormatTypeMismatch = Error("KG2404", "format specifier does not match its argument");

    public static readonly DiagnosticDescriptor MapValueMismatch = Error("KG2501", "map value type mismatch");
    public static readonly DiagnosticDescriptor MapKeyMismatch = Error("KG2502", "map key mismatch");
    public static readonly DiagnosticDescriptor VariableUndefined = Error("KG2503", "variable read before assignment");
    public static readonly DiagnosticDescriptor VariableMaybeUnassigned = Warning("KG2504", "variable may be unassigned");
    public static readonly DiagnosticDescriptor VariableTypeMismatch = Error("KG2505", "variable type mismatch");
    public static readonly DiagnosticDescriptor MapUndefined = Error("KG2506", "undefined map");

    public static readonly DiagnosticDescriptor HeaderNotFound = Error("KG2601", "header not found");
    public static readonly DiagnosticDescriptor HeaderUnusableWithBtf = Error("KG2602", "header does not compile with BTF");
    public static readonly DiagnosticDescriptor FallbackHeaderMissing = Warning("KG2603", "fallback header not installed");
    public static readonly DiagnosticDescriptor KernelSymbolMissing = Error("KG2604", "kernel symbol not found");

    public static readonly DiagnosticDescriptor UnsafeFunction = Error("KG3001", "unsafe function");
    public static readonly DiagnosticDescriptor FileAccess = Error("KG3002", "reads a file on the host");
    public static readonly DiagnosticDescriptor UnsafeAllowed = Warning("KG3003", "unsafe function allowed");

    /// <summary>The safety policy's review as diagnostics: KG3001 (system, signal, override) and KG3002 (cat) errors, KG3003
    /// warnings for builtins the user allowed, and KG3001 for a program the review cannot clear.</summary>
    public static IEnumerable<Diagnostic> FromSafety(Safety.SafetyReview review)
    {
        foreach (var violation in review.Violations)
        {
            var descriptor = violation.Allowed ? UnsafeAllowed : violation.Builtin.NeedsUnsafeFlag ? UnsafeFunction : FileAccess;
            yield return new Diagnostic(descriptor, violation.Span, violation.Message + (violation.Allowed ? " (allowed)" : string.Empty), violation.Hint);
        }

        if (review.Incomplete is { } incomplete)
        {
            yield return new Diagnostic(UnsafeFunction, new Bpftrace.Text.TextSpan(0, 0), $"the safety policy cannot clear this program: {incomplete}",
                "define fewer, smaller macros");
        }
    }

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        UnknownTracepoint, UnknownTracepointCategory, UnknownKernelFunction, WildcardMatchesNothing, UprobeTargetMissing,
        UnknownPerfEvent, InvalidProbeRate, DuplicateSpecialProbe, ProbeTypeUnavailable, NoBtf, UnknownTracepointField,
        ArgumentBeyondArity, UnknownStruct, UnknownField, WrongAccessOperator, NotAStruct, UnknownIdentifier, UnknownType,
        DataLocString, BuiltinNotInProbe, WrongArity, WrongArgumentKind, AggregationNotAssigned, InvalidHistogramBounds,
        FunctionNotInProbe, FormatNotLiteral, FormatTooFewArguments, FormatTooManyArguments,
        FormatTypeMismatch, MapValueMismatch, MapKeyMismatch, VariableUndefined, VariableMaybeUnassigned,
        VariableTypeMismatch, MapUndefined, HeaderNotFound, HeaderUnusableWithBtf, FallbackHeaderMissing, KernelSymbolMissing,
        UnsafeFunction, FileAccess, UnsafeAllowed, NeedsNewerBpftrace, RemovedFromBpftrace, DeprecatedInBpftrace, BugInBpftrace,
    ];
}
