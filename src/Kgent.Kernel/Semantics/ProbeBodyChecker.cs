using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Language;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.Bpftrace.Syntax.Items;
using Kgent.Kernel.Bpftrace.Syntax.Statements;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Probes;
using Kgent.Kernel.Semantics.Types;

namespace Kgent.Kernel.Semantics;

/// <summary>Checks one probe's predicate and body: builtins allowed in its probe types, <c>args</c> fields, struct
/// fields through BTF, function arities and argument kinds, printf formats, variables read before assignment,
/// and map types (through the program-wide <see cref="MapTypeTracker"/>).</summary>
internal sealed class ProbeBodyChecker(CheckContext context, ProbeContext probe, PreprocessorFacts facts, MapTypeTracker maps)
{
    private static readonly ProbeType[] ArgProbes = [ProbeType.Kprobe, ProbeType.Uprobe, ProbeType.Usdt];
    private static readonly ProbeType[] RetvalProbes = [ProbeType.Kretprobe, ProbeType.Uretprobe, ProbeType.Kfunc, ProbeType.Kretfunc];
    private static readonly ProbeType[] ArgsProbes =
        [ProbeType.Tracepoint, ProbeType.Kfunc, ProbeType.Kretfunc, ProbeType.Uprobe, ProbeType.Uretprobe, ProbeType.Usdt, ProbeType.RawTracepoint];

    private static readonly HashSet<string> CTypeWords = new(StringComparer.Ordinal)
    {
        "int", "char", "short", "long", "unsigned", "signed", "void", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
        "__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64", "size_t", "pid_t", "uint8_t", "uint16_t",
        "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t", "int64_t",
    };

    private readonly Dictionary<string, BpfValueType> variableTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TextSpan> variableFirstAssignment = new(StringComparer.Ordinal);
    private readonly HashSet<string> reportedVariables = new(StringComparer.Ordinal);
    private readonly HashSet<string> reportedBuiltins = new(StringComparer.Ordinal);

    private BtfTypeGraph? Btf => context.Catalog.Btf;

    public void Check(Probe node)
    {
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        if (node.Predicate is not null)
        {
            TypeOf(node.Predicate, assigned);
        }

        CheckBlock(node.Body, assigned);
    }

    private void CheckBlock(Block block, HashSet<string> assigned)
    {
        foreach (var statement in block.Statements)
        {
            CheckStatement(statement, assigned);
        }
    }

    private void CheckStatement(Statement statement, HashSet<string> assigned)
    {
        switch (statement)
        {
            case Block block:
                CheckBlock(block, assigned);
                break;
            case ExpressionStatement expression:
                TypeOf(expression.Expression, assigned);
                break;
            case AssignmentStatement assignment:
                CheckAssignment(assignment, assigned);
                break;
            case IfStatement conditional:
            {
                TypeOf(conditional.Condition, assigned);
                var whenTrue = new HashSet<string>(assigned, StringComparer.Ordinal);
                CheckBlock(conditional.Then, whenTrue);
                var whenFalse = new HashSet<string>(assigned, StringComparer.Ordinal);
                if (conditional.Else is not null)
                {
                    CheckStatement(conditional.Else, whenFalse);
                }

                whenTrue.IntersectWith(whenFalse);
                assigned.UnionWith(whenTrue);
                break;
            }

            case WhileStatement loop:
                TypeOf(loop.Condition, assigned);
                CheckBlock(loop.Body, new HashSet<string>(assigned, StringComparer.Ordinal));
                break;
            case UnrollStatement unroll:
                TypeOf(unroll.Count, assigned);
                CheckBlock(unroll.Body, assigned);
                break;
            case JumpStatement { Value: not null } jump:
                TypeOf(jump.Value, assigned);
                break;
            case AnnotationStatement annotation:
                TypeOf(annotation.Condition, assigned);
                break;
        }
    }

    private void CheckAssignment(AssignmentStatement assignment, HashSet<string> assigned)
    {
        BpfValueType value;
        if (assignment.Value is CallExpression { Name: var name } call && FunctionSignature.All.TryGetValue(name, out var signature) && signature.IsAggregation)
        {
            value = CheckCall(call, assigned, assignedToMap: assignment.Target is MapExpression && assignment.CompoundOperator is null);
        }
        else
        {
            value = TypeOf(assignment.Value, assigned);
        }

        if (assignment.CompoundOperator is not null)
        {
            // "x += v" reads x first.
            TypeOf(assignment.Target, assigned);
            value = IntegerType.S64;
        }

        switch (assignment.Target)
        {
            case MapExpression map:
                MapKeys(map, assigned);
                if (assignment.CompoundOperator is null)
                {
                    maps.Assign(map, value, assignment.Value.Span);
                }

                break;
            case VariableExpression variable:
                AssignVariable(variable, value, assignment.Value.Span);
                assigned.Add(variable.Name);
                break;
            default:
                TypeOf(assignment.Target, assigned);
                break;
        }
    }

    private void AssignVariable(VariableExpression variable, BpfValueType value, TextSpan valueSpan)
    {
        if (variableTypes.TryGetValue(variable.Name, out var previous))
        {
            var before = TypeRules.CompatibilityClass(previous);
            var now = TypeRules.CompatibilityClass(value);
            if (before is not null && now is not null && before != now)
            {
                var line = context.Source.GetLinePosition(variableFirstAssignment[variable.Name].Start).Line;
                context.Report(SemanticDiagnostics.VariableTypeMismatch, valueSpan,
                    $"type mismatch for {variable.Name}: assigning '{TypeRules.Describe(value)}' to a variable that holds '{TypeRules.Describe(previous)}' (line {line})",
                    $"use a new variable name for this value");
                return;
            }

            if (before is not null)
            {
                return;
            }
        }
        else
        {
            variableFirstAssignment[variable.Name] = variable.Span;
        }

        variableTypes[variable.Name] = value;
    }

    private BpfValueType TypeOf(Expression expression, HashSet<string> assigned)
    {
        switch (expression)
        {
            case IntegerLiteral literal:
                return literal.IsNegative ? IntegerType.S64 : IntegerType.U64;
            case StringLiteral:
                return StringType.Plain;
            case IdentifierExpression identifier:
                return Identifier(identifier);
            case BuiltinExpression builtin:
                return Builtin(builtin);
            case VariableExpression variable:
                return ReadVariable(variable, assigned);
            case PositionalParameterExpression:
            case MissingExpression:
                return UnknownType.Instance;
            case MapExpression map:
                maps.Read(map);
                MapKeys(map, assigned);
                return maps.ValueOf(map.Name) is AggregationType ? IntegerType.S64 : maps.ValueOf(map.Name);
            case UnaryExpression unary:
            {
                if (unary.Operator is UnaryOperator.PreIncrement or UnaryOperator.PreDecrement or UnaryOperator.PostIncrement or UnaryOperator.PostDecrement
                    && unary.Operand is VariableExpression incremented)
                {
                    ReadVariable(incremented, assigned);
                    return IntegerType.S64;
                }

                var operand = TypeOf(unary.Operand, assigned);
                return unary.Operator == UnaryOperator.Dereference ? Dereference(operand) : IntegerType.S64;
            }

            case BinaryExpression binary:
            {
                var left = TypeOf(binary.Left, assigned);
                TypeOf(binary.Right, assigned);
                return binary.Operator is BinaryOperator.Add or BinaryOperator.Subtract && left is PointerType ? left : IntegerType.S64;
            }

            case ConditionalExpression conditional:
            {
                TypeOf(conditional.Condition, assigned);
                var whenTrue = TypeOf(conditional.WhenTrue, assigned);
                var whenFalse = TypeOf(conditional.WhenFalse, assigned);
                return whenTrue is UnknownType ? whenFalse : whenTrue;
            }

            case CastExpression cast:
                TypeOf(cast.Operand, assigned);
                return Cast(cast.Type, cast.Span);
            case TypeExpression type:
                Cast(type.Type, type.Span);
                return UnknownType.Instance;
            case FieldAccessExpression field:
                return FieldAccess(field, assigned);
            case IndexExpression index:
            {
                var target = TypeOf(index.Target, assigned);
                TypeOf(index.Index, assigned);
                return target switch
                {
                    PointerType { Target: { } id } when Btf is not null => TypeRules.FromBtf(Btf, id),
                    ArrayType { ElementBtfType: { } element } when Btf is not null => TypeRules.FromBtf(Btf, element),
                    ArrayType => IntegerType.U64,
                    _ => UnknownType.Instance,
                };
            }

            case TupleAccessExpression access:
                return TypeOf(access.Target, assigned) is TupleType accessed && access.Index < accessed.Elements.Length
                    ? accessed.Elements[access.Index]
                    : UnknownType.Instance;
            case TupleExpression tuple:
                return new TupleType([.. tuple.Elements.Select(e => TypeOf(e, assigned))]);
            case CallExpression call:
                return CheckCall(call, assigned, assignedToMap: false);
            default:
                foreach (var child in expression.ChildNodes().OfType<Expression>())
                {
                    TypeOf(child, assigned);
                }

                return UnknownType.Instance;
        }
    }

    private BpfValueType ReadVariable(VariableExpression variable, HashSet<string> assigned)
    {
        if (!variableTypes.ContainsKey(variable.Name))
        {
            if (reportedVariables.Add(variable.Name))
            {
                var others = variableTypes.Keys.ToList();
                context.Report(SemanticDiagnostics.VariableUndefined, variable.Span,
                    $"{variable.Name} is read before it is assigned in this probe (variables do not carry over between probes)",
                    CheckContext.Hint(CheckContext.DidYouMean(variable.Name, others), others.Count == 0 ? $"assign it first, e.g. {variable.Name} = 0;" : null,
                        "to share a value between probes use a map keyed by tid, e.g. @start[tid]"));
            }

            return UnknownType.Instance;
        }

        if (!assigned.Contains(variable.Name) && reportedVariables.Add(variable.Name))
        {
            context.Report(SemanticDiagnostics.VariableMaybeUnassigned, variable.Span,
                $"{variable.Name} is only assigned on some paths before this read; elsewhere it reads as zero",
                $"assign {variable.Name} before the branch that sets it");
        }

        return variableTypes[variable.Name];
    }

    private BpfValueType Identifier(IdentifierExpression identifier)
    {
        if (Btf?.FindEnumConstant(identifier.Name) is not null)
        {
            return IntegerType.S64;
        }

        if (facts.Identifiers.Contains(identifier.Name) || !facts.IdentifiersComplete || Btf is null)
        {
            return UnknownType.Instance;
        }

        var candidates = facts.Identifiers.Concat(Btf.EnumConstantNames);
        context.Report(SemanticDiagnostics.UnknownIdentifier, identifier.Span,
            $"unknown identifier '{identifier.Name}': it is not a kernel enum constant (BTF) or a macro from the program's headers",
            CheckContext.Hint(CheckContext.DidYouMean(identifier.Name, candidates),
                "macros such as AF_INET need their header, e.g. #include <sys/socket.h>; a string needs quotes"));
        return UnknownType.Instance;
    }

    private BpfValueType Builtin(BuiltinExpression builtin)
    {
        var name = builtin.Name;
        if (IsPositionalArgument(name))
        {
            var stack = name[0] == 's';
            if (!probe.Only(stack ? ArgProbes : [.. ArgProbes, ProbeType.RawTracepoint]))
            {
                ReportBuiltin(builtin, stack ? "kprobe, uprobe and usdt" : "kprobe, uprobe, usdt and rawtracepoint",
                    probe.Any(ProbeType.Tracepoint, ProbeType.Kfunc, ProbeType.Kretfunc) ? "read arguments through args->NAME here" : null);
                return UnknownType.Instance;
            }

            var index = int.Parse(name.AsSpan(name[0] == 's' ? 4 : 3), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (function, prototype) in probe.Functions)
            {
                if (probe.Only(ProbeType.Kprobe) && index >= prototype.Parameters.Length && !prototype.IsVariadic && reportedBuiltins.Add(name + function))
                {
                    context.Report(SemanticDiagnostics.ArgumentBeyondArity, builtin.Span,
                        $"{name} does not exist: {function}() takes {prototype.Parameters.Length} parameter{(prototype.Parameters.Length == 1 ? string.Empty : "s")}",
                        prototype.Parameters.Length == 0 ? null
                            : $"its parameters are {string.Join(", ", prototype.Parameters.Select((p, i) => $"arg{i} = {Btf!.Format(p.Type)} {p.Name}".TrimEnd()))}");
                }
            }

            return name[0] == 's' ? IntegerType.S64 : IntegerType.U64;
        }

        switch (name)
        {
            case "retval":
                if (!probe.Only(RetvalProbes))
                {
                    ReportBuiltin(builtin, "kretprobe, uretprobe and kretfunc",
                        probe.Tracepoints.Any(t => t.FindField("ret") is not null) ? "use args->ret in a sys_exit tracepoint" : null);
                    return UnknownType.Instance;
                }

                if (probe.Only(ProbeType.Kretfunc) && probe.Functions.Count > 0 && Btf is not null)
                {
                    return TypeRules.FromBtf(Btf, probe.Functions[0].Prototype.ReturnType);
                }

                return IntegerType.S64;
            case "args":
                if (!probe.Types.All(ArgsProbes.Contains))
                {
                    ReportBuiltin(builtin, "tracepoint, kfunc/kretfunc and uprobe",
                        probe.Any(ProbeType.Kprobe) ? "in a kprobe read arguments as arg0, arg1, …" : null);
                    return UnknownType.Instance;
                }

                return ContextType.Instance;
            case "comm" or "pcomm":
                return new StringType("string");
            case "probetype":
                return StringType.Plain;
            case "ppid" or "ncpus":
                return IntegerType.U32;
            case "usermode":
                return IntegerType.U64;
            case "kstack" or "ustack":
                return new StringType(name);
            case "func":
                return new StringType("ksym");
            case "probe":
                return StringType.Plain;
            case "username":
                return new StringType("username");
            case "curtask":
                return new PointerType(Btf?.FindComposite("task_struct")?.Id, "struct task_struct");
            case "ctx":
                return new PointerType(null, "void");
            case "pid" or "tid" or "uid" or "gid" or "cpu" or "numaid" or "cpid":
                return IntegerType.U32;
            default:
                return IntegerType.U64;
        }
    }

    /// <summary>arg0…arg9 and sarg0…sarg9 (not <c>args</c>).</summary>
    private static bool IsPositionalArgument(string name) =>
        name.Length >= 4 && char.IsAsciiDigit(name[^1]) && (name.StartsWith("arg", StringComparison.Ordinal) || name.StartsWith("sarg", StringComparison.Ordinal));

    private void ReportBuiltin(BuiltinExpression builtin, string allowed, string? hint)
    {
        if (!reportedBuiltins.Add(builtin.Name))
        {
            return;
        }

        var types = string.Join(", ", probe.Types.Select(t => ProbeTypeInfo.Of(t).Name));
        context.Report(SemanticDiagnostics.BuiltinNotInProbe, builtin.Span,
            $"the {builtin.Name} builtin is not available in {types} probes (only {allowed})", hint);
    }

    private BpfValueType Cast(TypeSyntax type, TextSpan span)
    {
        var name = type.Name;
        BpfValueType target;
        if (BpftraceVocabulary.IntegerTypes.Contains(name))
        {
            var bits = name == "bool" ? 8 : int.Parse(name.AsSpan(name.StartsWith('u') ? 4 : 3), System.Globalization.CultureInfo.InvariantCulture);
            target = new IntegerType(bits, !name.StartsWith('u'));
        }
        else if (name.StartsWith("struct ", StringComparison.Ordinal) || name.StartsWith("union ", StringComparison.Ordinal))
        {
            target = Composite(name, span);
        }
        else if (name.StartsWith("enum ", StringComparison.Ordinal))
        {
            target = IntegerType.S64;
        }
        else
        {
            target = Typedef(name, span);
        }

        for (var i = 0; i < type.PointerDepth; i++)
        {
            target = target switch
            {
                RecordType { Composite: { } composite } when i == 0 => new PointerType(composite.Id, composite.Keyword + " " + composite.Name),
                IntegerType when i == 0 && Btf?.FindTypedef(name) is { } typedef => new PointerType(typedef.Id, name),
                _ => new PointerType(null, target.Display),
            };
        }

        return target;
    }

    private BpfValueType Composite(string name, TextSpan span)
    {
        var union = name.StartsWith("union ", StringComparison.Ordinal);
        var tag = name[(union ? 6 : 7)..].Trim();
        if (facts.UserTypes.Contains(name) || Btf is null)
        {
            return new RecordType(null, name);
        }

        var composite = Btf.FindComposite(tag, union);
        if (composite is not null)
        {
            return new RecordType(composite, name);
        }

        var suggestion = Suggestions.Closest(tag, Btf.CompositeNames(union));
        context.Report(SemanticDiagnostics.UnknownStruct, span,
            $"unknown {(union ? "union" : "struct")} '{name}': this kernel's BTF does not define it",
            suggestion is not null ? $"did you mean '{(union ? "union" : "struct")} {suggestion}'?" : "list kernel structs with: bpftool btf dump file /sys/kernel/btf/vmlinux format c | grep '^struct'");
        return UnknownType.Instance;
    }

    private BpfValueType Typedef(string name, TextSpan span)
    {
        if (Btf?.FindTypedef(name) is { } typedef)
        {
            return TypeRules.FromBtf(Btf, typedef.Id);
        }

        if (Btf is null || facts.UserTypes.Contains(name) || CTypeWords.Contains(name) || name.Contains(' ') || !facts.IdentifiersComplete)
        {
            return UnknownType.Instance;
        }

        var suggestion = Suggestions.Closest(name, BpftraceVocabulary.IntegerTypes);
        context.Report(SemanticDiagnostics.UnknownType, span,
            $"unknown type '{name}': not a bpftrace integer type or a kernel typedef",
            suggestion is not null ? $"did you mean '{suggestion}'?" : "bpftrace integer types are int8 … int64, uint8 … uint64 and bool");
        return UnknownType.Instance;
    }

    private BpfValueType Dereference(BpfValueType operand) => operand switch
    {
        PointerType { Target: { } id } when Btf is not null => TypeRules.FromBtf(Btf, id),
        _ => UnknownType.Instance,
    };

    private BpfValueType FieldAccess(FieldAccessExpression access, HashSet<string> assigned)
    {
        var target = TypeOf(access.Target, assigned);
        var fieldSpan = TextSpan.FromBounds(Math.Max(access.Span.Start, access.Span.End - access.Field.Length), access.Span.End);
        switch (target)
        {
            case ContextType:
                if (!access.IsArrow && !context.Options.Has("args-struct"))
                {
                    var release = BpftraceLanguage.Name(context.Options.Target);
                    context.Report(SemanticDiagnostics.WrongAccessOperator, access.Span,
                        $"args is a pointer on bpftrace {release}: use args->{access.Field}, not args.{access.Field} (args became a structure, read with '.', in bpftrace 0.19)",
                        $"write args->{access.Field}");
                    return UnknownType.Instance;
                }

                return ContextField(access, fieldSpan);
            case PointerType pointer:
                // bpftrace 0.25 dereferences a pointer to a struct on '.' by itself.
                if (!access.IsArrow && !context.Options.Has("auto-dereference"))
                {
                    context.Report(SemanticDiagnostics.WrongAccessOperator, access.Span,
                        $"cannot access field '{access.Field}' with '.' on a pointer ({pointer.Display})", $"use '->': …->{access.Field}");
                    return UnknownType.Instance;
                }

                if (pointer.Target is not { } id || Btf is null)
                {
                    return UnknownType.Instance;
                }

                return Btf.Resolve(id) switch
                {
                    BtfComposite composite => StructField(composite, access, fieldSpan),
                    BtfForward or BtfVoid => UnknownType.Instance,
                    _ => NotAStruct(access, pointer),
                };
            case RecordType record:
                if (access.IsArrow)
                {
                    context.Report(SemanticDiagnostics.WrongAccessOperator, access.Span,
                        $"'{record.Name}' is not a pointer: use '.{access.Field}', not '->{access.Field}'", $"write ….{access.Field}");
                    return UnknownType.Instance;
                }

                return record.Composite is null ? UnknownType.Instance : StructField(record.Composite, access, fieldSpan);
            case IntegerType or StringType or ArrayType or TupleType:
                return NotAStruct(access, target);
            default:
                return UnknownType.Instance;
        }
    }

    private BpfValueType NotAStruct(FieldAccessExpression access, BpfValueType target)
    {
        context.Report(SemanticDiagnostics.NotAStruct, access.Span,
            $"cannot access field '{access.Field}' on a value of type '{target.Display}', which is not a struct",
            target is IntegerType ? $"cast it to a struct pointer first, e.g. ((struct sock *)arg0)->{access.Field}" : null);
        return UnknownType.Instance;
    }

    private BpfValueType StructField(BtfComposite composite, FieldAccessExpression access, TextSpan fieldSpan)
    {
        var field = Btf!.FindField(composite, access.Field);
        if (field is not null)
        {
            return TypeRules.FromBtf(Btf, field.Type);
        }

        var names = Btf.Fields(composite).Select(f => f.Name).ToList();
        var suggestion = Suggestions.Closest(access.Field, names);
        var display = $"{composite.Keyword} {composite.Name}";
        context.Report(SemanticDiagnostics.UnknownField, fieldSpan,
            $"'{display}' has no field named '{access.Field}'",
            suggestion is not null ? $"did you mean '{suggestion}'?" : $"its fields are: {FieldList(names)}",
            suggestion is null ? null : new TextFix(fieldSpan, suggestion, TextFix.Field));
        return UnknownType.Instance;
    }

    private BpfValueType ContextField(FieldAccessExpression access, TextSpan fieldSpan)
    {
        BpfValueType? result = null;
        foreach (var tracepoint in probe.Tracepoints)
        {
            var field = tracepoint.FindField(access.Field);
            if (field is null)
            {
                var names = tracepoint.Fields.Select(f => f.Name).ToList();
                var suggestion = Suggestions.Closest(access.Field, names);
                context.Report(SemanticDiagnostics.UnknownTracepointField, fieldSpan,
                    $"tracepoint {tracepoint.Name} has no field '{access.Field}'; its fields are: {FieldList(tracepoint.Fields.Select(f => f.Declaration).ToList())}",
                    suggestion is not null ? $"did you mean 'args->{suggestion}'?" : names.Count == 0 ? "this tracepoint has no fields; use builtins such as pid, comm" : null,
                    suggestion is null ? null : new TextFix(fieldSpan, suggestion, TextFix.Field));
                return UnknownType.Instance;
            }

            result ??= TypeRules.FromTracepointField(field, () => Btf);
            var bug = Bpftrace.Language.LanguageFeatures.Get("data-loc-read");
            if (field.IsDataLoc && bug.HasBugIn(context.Options.Target) && reportedBuiltins.Add("data-loc:" + access.Field))
            {
                context.Report(SemanticDiagnostics.BugInBpftrace, fieldSpan,
                    $"bpftrace {BpftraceLanguage.Name(context.Options.Target)} reads __data_loc fields such as {tracepoint.Name}'s '{access.Field}' wrongly "
                    + $"(an empty string or a wrong number; fixed in {Bpftrace.Language.LanguageFeature.Name(bug.Fixed!)}: \"{bug.Changelog}\")",
                    Bpftrace.Porting.RawTracepointReadings.Find(tracepoint.Name) is { } raw
                        ? $"read the same event as {raw.RawAttachPoint}, whose arguments are ({string.Join(", ", raw.Arguments)}); "
                          + $"kgent fmt --to {BpftraceLanguage.Name(context.Options.Target)} does so for a probe that reads it as str(args.{access.Field})"
                        : $"use bpftrace {Bpftrace.Language.LanguageFeature.Name(bug.Fixed!)} or later, or a field that is not __data_loc");
            }
        }

        foreach (var (function, prototype) in probe.Functions)
        {
            if (!probe.Only(ProbeType.Kfunc, ProbeType.Kretfunc))
            {
                break;
            }

            var parameter = prototype.Parameters.FirstOrDefault(p => p.Name == access.Field);
            if (parameter is not null)
            {
                result ??= TypeRules.FromBtf(Btf!, parameter.Type);
                continue;
            }

            if (access.Field == "ret" && probe.Only(ProbeType.Kretfunc))
            {
                result ??= TypeRules.FromBtf(Btf!, prototype.ReturnType);
                continue;
            }

            var names = prototype.Parameters.Select(p => p.Name).Where(n => n.Length > 0).ToList();
            var suggestion = Suggestions.Closest(access.Field, names);
            context.Report(SemanticDiagnostics.UnknownTracepointField, fieldSpan,
                $"{function}() has no parameter '{access.Field}'; its parameters are: {FieldList(prototype.Parameters.Select(p => $"{Btf!.Format(p.Type)} {p.Name}").ToList())}",
                suggestion is not null ? $"did you mean 'args->{suggestion}'?" : null);
            return UnknownType.Instance;
        }

        return result ?? UnknownType.Instance;
    }

    private static string FieldList(IReadOnlyList<string> names) =>
        names.Count == 0 ? "(none)" : names.Count <= 16 ? string.Join(", ", names) : string.Join(", ", names.Take(16)) + $", … ({names.Count} in all)";

    private void MapKeys(MapExpression map, HashSet<string> assigned)
    {
        var keys = map.Keys.Select(k => TypeOf(k, assigned)).ToList();
        maps.UseKeys(map, keys);
    }

    private BpfValueType CheckCall(CallExpression call, HashSet<string> assigned, bool assignedToMap)
    {
        if (!FunctionSignature.All.TryGetValue(call.Name, out var signature))
        {
            // A function of a newer release (has_key, len, find, …): its arguments are checked, a whole map as a map.
            foreach (var argument in call.Arguments)
            {
                if (argument is MapExpression { Keys.Length: 0 } map)
                {
                    maps.ValueOf(map.Name);
                }
                else
                {
                    TypeOf(argument, assigned);
                }
            }

            return UnknownType.Instance;
        }

        var arguments = call.Arguments;
        var types = new List<BpfValueType>(arguments.Length);
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = arguments[i];
            if (call.Name is "kstack" or "ustack" && argument is IdentifierExpression { Name: var mode } && BpftraceVocabulary.StackModes.Contains(mode))
            {
                types.Add(UnknownType.Instance);
            }
            else if (i == 0 && call.Name is "print" or "clear" or "zero" && argument is MapExpression { Keys.Length: 0 } wholeMap)
            {
                types.Add(maps.ValueOf(wholeMap.Name));
            }
            else if (i == 0 && call.Name == "delete" && arguments.Length == 2 && argument is MapExpression { Keys.Length: 0 } keyedMap)
            {
                // delete(@m, key), bpftrace 0.22's form (the dialect checker says when the target is older): the key is
                // the second argument.
                types.Add(maps.ValueOf(keyedMap.Name));
                types.Add(TypeOf(arguments[1], assigned));
                maps.UseKeys(keyedMap with { Keys = [arguments[1]] }, [types[^1]]);
                i++;
            }
            else
            {
                types.Add(TypeOf(argument, assigned));
            }
        }

        // delete(@m, key) is the dialect checker's to date (KG2701 before 0.22), not an arity error; hist's granularity
        // (0.20) and exit's code (0.21) are arguments of later releases.
        var maxArguments = call switch
        {
            { Name: "delete", Arguments: [MapExpression { Keys.Length: 0 }, _] } => 2,
            { Name: "hist" } when context.Options.Has("hist-granularity") => 2,
            { Name: "exit" } when context.Options.Has("exit-code") => 1,
            _ => signature.MaxArguments,
        };
        if (arguments.Length < signature.MinArguments || arguments.Length > maxArguments)
        {
            context.Report(SemanticDiagnostics.WrongArity, call.Span,
                $"{call.Name}() takes {signature.ArityText}, {arguments.Length} given", Usage(call.Name));
        }

        if (signature.IsAggregation && !assignedToMap)
        {
            context.Report(SemanticDiagnostics.AggregationNotAssigned, call.Span,
                $"{call.Name}() must be assigned directly to a map",
                $"write @name = {call.Name}(…); or @name[key] = {call.Name}(…);");
        }

        if (signature.OnlyIn is { } only && probe.Types.Count > 0 && !probe.Only(only))
        {
            context.Report(SemanticDiagnostics.FunctionNotInProbe, call.NameSpan,
                $"{call.Name}() can only be used in {string.Join(", ", only.Select(t => ProbeTypeInfo.Of(t).Name))} probes");
        }

        if (signature.TakesMap && arguments.Length >= 1 && arguments[0] is not MapExpression)
        {
            context.Report(SemanticDiagnostics.WrongArgumentKind, arguments[0].Span, $"{call.Name}() expects a map, e.g. {call.Name}(@name)");
        }

        if (signature.LiteralArguments is { } literals)
        {
            CheckLiterals(call, signature, literals);
        }

        if (signature.IsAggregation && call.Name != "count" && types.Count >= 1 && types[0] is StringType or ArrayType { IsChar: true })
        {
            context.Report(SemanticDiagnostics.WrongArgumentKind, arguments[0].Span,
                $"{call.Name}() needs an integer, not a string", call.Name is "hist" or "lhist" ? "key a count() by the string instead: @m[str] = count();" : null);
        }

        if (signature.FormatArgument is { } formatIndex && arguments.Length > formatIndex)
        {
            CheckFormat(call, arguments, types, formatIndex);
        }

        if (call.Name == "kaddr" && arguments.Length == 1 && arguments[0] is StringLiteral symbol
            && (context.Catalog.KernelDataSymbols.Count > 0 || Btf is not null) && !context.Catalog.HasKernelSymbol(symbol.Value))
        {
            context.Report(SemanticDiagnostics.KernelSymbolMissing, arguments[0].Span,
                $"kernel symbol '{symbol.Value}' is not in /proc/kallsyms or BTF on this kernel, so bpftrace cannot resolve its address",
                "data symbols appear in kallsyms only with CONFIG_KALLSYMS_ALL; read the value through a tracepoint or struct field instead");
        }

        return call.Name is "kptr" or "uptr" && types.Count == 1 ? types[0] : signature.Result;
    }

    private void CheckLiterals(CallExpression call, FunctionSignature signature, int[] literals)
    {
        var arguments = call.Arguments;
        var wantsString = call.Name is "kaddr" or "uaddr" or "reg" or "cgroupid" or "strftime";
        foreach (var index in literals.Where(i => i < arguments.Length))
        {
            var argument = arguments[index];
            var ok = wantsString ? argument is StringLiteral : argument is IntegerLiteral;
            if (!ok)
            {
                context.Report(SemanticDiagnostics.WrongArgumentKind, argument.Span,
                    $"argument {index + 1} of {call.Name}() must be {(wantsString ? "a string literal" : "an integer literal")}",
                    call.Name == "lhist" ? "lhist bounds are fixed when the program is compiled: write numbers, e.g. lhist($x, 0, 100, 10)" : null);
            }
        }

        if (call.Name == "lhist" && arguments.Length == 4
            && arguments[1] is IntegerLiteral min && arguments[2] is IntegerLiteral max && arguments[3] is IntegerLiteral step)
        {
            if (min.SignedValue < 0)
            {
                // bpftrace 0.17: "lhist() min must be non-negative"; smaller values go to the underflow bucket anyway.
                context.Report(SemanticDiagnostics.InvalidHistogramBounds, min.Span,
                    $"lhist() min must be non-negative ({min.SignedValue} given)", "start at 0: smaller values are counted in lhist's underflow bucket");
            }
            else if (min.SignedValue >= max.SignedValue)
            {
                context.Report(SemanticDiagnostics.InvalidHistogramBounds, TextSpan.FromBounds(min.Span.Start, max.Span.End),
                    $"lhist() min ({min.SignedValue}) must be less than max ({max.SignedValue})", "the arguments are lhist(value, min, max, step)");
            }
            else if (step.SignedValue < 1)
            {
                context.Report(SemanticDiagnostics.InvalidHistogramBounds, step.Span,
                    $"lhist() step must be at least 1 ({step.SignedValue} given)", "the arguments are lhist(value, min, max, step)");
            }
        }
    }

    private void CheckFormat(CallExpression call, IReadOnlyList<Expression> arguments, IReadOnlyList<BpfValueType> types, int formatIndex)
    {
        if (arguments[formatIndex] is not StringLiteral format)
        {
            context.Report(SemanticDiagnostics.FormatNotLiteral, arguments[formatIndex].Span,
                $"the first argument of {call.Name}() must be a format string literal", $"e.g. {call.Name}(\"%d\\n\", value)");
            return;
        }

        var specifiers = PrintfFormat.Parse(format.Value);
        var supplied = arguments.Count - formatIndex - 1;
        if (supplied < specifiers.Length)
        {
            context.Report(SemanticDiagnostics.FormatTooFewArguments, call.Span,
                $"{call.Name}: the format has {specifiers.Length} conversion{(specifiers.Length == 1 ? string.Empty : "s")} ({string.Join(" ", specifiers.Select(s => s.Text))}) but {supplied} argument{(supplied == 1 ? " is" : "s are")} given",
                $"add the missing argument for {specifiers[supplied].Text}, or remove the conversion");
        }
        else if (supplied > specifiers.Length)
        {
            context.Report(SemanticDiagnostics.FormatTooManyArguments, arguments[formatIndex + specifiers.Length + 1].Span,
                $"{call.Name}: {supplied} argument{(supplied == 1 ? " is" : "s are")} given but the format has {specifiers.Length} conversion{(specifiers.Length == 1 ? string.Empty : "s")}",
                "add a conversion such as %d or %s for each extra argument, or remove it");
        }

        for (var i = 0; i < Math.Min(supplied, specifiers.Length); i++)
        {
            var specifier = specifiers[i];
            var type = types[formatIndex + 1 + i];
            var argument = arguments[formatIndex + 1 + i];
            if (argument is MapExpression aggregated && maps.ValueOf(aggregated.Name) is AggregationType aggregation)
            {
                // bpftrace 0.17 keeps count(), sum(), hist() … per CPU; printf cannot format them ("count supplied").
                context.Report(SemanticDiagnostics.FormatTypeMismatch, argument.Span,
                    $"{call.Name}: {specifier.Text} cannot print {aggregated.Name}, which holds a {aggregation.Function}() aggregation",
                    $"print it with print({aggregated.Name}) (or let bpftrace print it at exit); to printf a number keep a plain integer, e.g. {aggregated.Name} = {aggregated.Name} + 1");
                continue;
            }

            var supplies = Supplies(type);
            if (supplies is null || Accepts(specifier.Expects, supplies)
                || (specifier.Expects == FormatArgumentKind.String && context.Options.Has("printf-string-of-any-value")))
            {
                continue;
            }

            var expected = specifier.Expects switch
            {
                FormatArgumentKind.String => "string",
                FormatArgumentKind.Buffer => "buffer",
                _ => "integer",
            };
            // A char pointer printed with %s has one fix: read the string it points at.
            var str = specifier.Expects == FormatArgumentKind.String && type is PointerType { Display: var shown } && shown.Contains("char *", StringComparison.Ordinal)
                ? new TextFix(argument.Span, $"str({context.Source.Text.Substring(argument.Span.Start, argument.Span.Length)})", TextFix.Str)
                : null;
            context.Report(SemanticDiagnostics.FormatTypeMismatch, argument.Span,
                $"{call.Name}: {specifier.Text} expects a value of type {expected}, but this is {(supplies == "integer" ? "an" : "a")} {supplies}{(type is PointerType p ? $" ({p.Display})" : string.Empty)}",
                FormatHint(specifier, type, argument), str);
        }
    }

    private static string? Supplies(BpfValueType type) => type switch
    {
        UnknownType or NoneType or AggregationType => null,
        IntegerType or PointerType => "integer",
        StringType or ArrayType { IsChar: true } => "string",
        ArrayType => "array",
        BufferType => "buffer",
        TupleType => "tuple",
        RecordType => "struct",
        _ => null,
    };

    private static bool Accepts(FormatArgumentKind expects, string supplies) => expects switch
    {
        FormatArgumentKind.Integer => supplies == "integer",
        FormatArgumentKind.String => supplies == "string",
        _ => supplies == "buffer",
    };

    private string? FormatHint(FormatSpecifier specifier, BpfValueType type, Expression argument)
    {
        if (specifier.Expects == FormatArgumentKind.String && type is PointerType)
        {
            return "read the string it points at with str(…)";
        }

        if (specifier.Expects == FormatArgumentKind.String && type is ArrayType { Length: 4 or 16 })
        {
            return "an address array prints with ntop(…)";
        }

        if (argument is FieldAccessExpression { Target: BuiltinExpression { Name: "args" } } field
            && probe.Tracepoints.Select(t => t.FindField(field.Field)).FirstOrDefault(f => f is not null) is { IsDataLoc: true })
        {
            return "bpftrace 0.17 reads __data_loc string fields as integers and cannot print them; use comm or another field";
        }

        return specifier.Expects == FormatArgumentKind.Integer ? "use %s for strings" : "use %d (or %u, %x) for integers";
    }

    private static string? Usage(string function) => function switch
    {
        "hist" => "hist(value)",
        "lhist" => "lhist(value, min, max, step)",
        "count" => "count() takes no arguments",
        "str" => "str(pointer[, length])",
        "ntop" => "ntop([af, ]address)",
        "kstack" or "ustack" => $"{function}([mode, ][limit])",
        "printf" => "printf(\"format\", arguments…)",
        "strncmp" => "strncmp(a, b, n)",
        _ => null,
    };
}
