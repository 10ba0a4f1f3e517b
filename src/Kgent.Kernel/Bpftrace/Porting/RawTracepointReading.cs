using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;

namespace Kgent.Kernel.Bpftrace.Porting;

/// <summary>
/// One row of datasets/bpftrace-versions/raw-tracepoints.yaml: a tracepoint's record read from its raw tracepoint's
/// arguments. <see cref="Fields"/> gives each fixed field as an expression over <c>arg0</c>, <c>arg1</c>, … (what
/// <c>args.FIELD</c> becomes); <see cref="Strings"/> gives each __data_loc string field as a string-valued expression
/// (what <c>str(args.FIELD)</c> becomes).
/// </summary>
public sealed record RawTracepointReading(
    string Tracepoint,
    ImmutableArray<string> Arguments,
    ImmutableDictionary<string, string> Fields,
    ImmutableDictionary<string, string> Strings)
{
    /// <summary>The event's name, which is the raw tracepoint's: <c>sched_process_exec</c>.</summary>
    public string Event => Tracepoint[(Tracepoint.IndexOf(':') + 1)..];

    public string RawAttachPoint => "rawtracepoint:" + Event;

    /// <summary>An expression of the row (a field's or a string's) as syntax.</summary>
    public static Expression Parse(string expression)
    {
        var parse = BpftraceParser.Parse($"BEGIN {{ $value = {expression}; }}", "raw-tracepoints.yaml");
        if (parse.HasErrors || parse.Program.Items is not [Probe { Body.Statements: [AssignmentStatement { Value: var value }] }])
        {
            throw new InvalidOperationException($"raw-tracepoints.yaml: '{expression}' is not a bpftrace expression");
        }

        return value;
    }
}
