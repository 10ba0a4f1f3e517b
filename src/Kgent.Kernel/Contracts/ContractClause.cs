using Kgent.Kernel.Bpftrace.Syntax.Expressions;

namespace Kgent.Kernel.Contracts;

/// <summary>One pre- or postcondition, in the annotation language (bpftrace expressions plus ntohs/htons/ntohl/htonl).
/// Function contracts name parameters by their BTF names (<c>sk</c>); tracepoint contracts use <c>args->field</c>.</summary>
public sealed record ContractClause(string Text, Expression Expression, ContractLocation Location);

/// <summary>Where a piece of a contract was written, for diagnostics: 1-based line and column.</summary>
public sealed record ContractLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
