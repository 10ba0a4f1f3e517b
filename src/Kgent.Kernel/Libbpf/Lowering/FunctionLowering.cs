using System.Globalization;
using System.Text;
using Kgent.Kernel.KernelInfo.Tracepoints;
using Kgent.Kernel.Libbpf.Check;

namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>Lowers one BPF program (a C function in a SEC) to a bpftrace probe with the same meaning, statement by statement
/// on the same lines. What it models: the context's fields (<c>ctx->F</c> is <c>args->F</c>, <c>ctx->args[N]</c> the
/// system call's Nth argument), locals, <c>if</c>/<c>return</c>, kernel reads (<c>bpf_probe_read_kernel</c>,
/// <c>BPF_CORE_READ</c>, <c>bpf_core_read</c>: a read of the field), strings (<c>bpf_probe_read_*_str</c>,
/// <c>bpf_get_current_comm</c>), the current task's helpers (pid, tid, uid, time, CPU), byte swaps, output
/// (<c>bpf_printk</c>, ring buffer and perf records, printed with their fields), per-key counters and sums (a lookup that
/// adds to the value or inserts it; any other use of a map value pointer is not modelled, since it changes only keys
/// that are there), map updates and deletes, and <c>assume</c>/<c>assert</c>. Anything else stops the lowering with a
/// <see cref="NotModelledException"/> naming the construct and its line.</summary>
internal sealed class FunctionLowering
{
    private readonly CAstNode function;
    private readonly ProgramSection section;
    private readonly TracepointFormat? format;
    private readonly LineAlignedText output;
    private readonly Dictionary<string, Local> locals = new(StringComparer.Ordinal);
    private readonly HashSet<string> names;
    private string? contextId;

    /// <summary>How many if-branches the statement being lowered is in.</summary>
    private int depth;

    public FunctionLowering(CAstNode function, ProgramSection section, TracepointFormat? format, LineAlignedText output, HashSet<string> names)
    {
        this.function = function;
        this.section = section;
        this.format = format;
        this.output = output;
        this.names = names;
    }

    public void Lower()
    {
        var parameters = function.Inner.Where(n => n.Kind == "ParmVarDecl").ToList();
        if (section.Type is not (Probes.ProbeType.Tracepoint or Probes.ProbeType.RawTracepoint))
        {
            throw new NotModelledException(function, $"{section.Display}: Kgent's symbolic verifier reads C programs on tracepoints only");
        }

        if (section.Type == Probes.ProbeType.RawTracepoint || format is null)
        {
            throw new NotModelledException(function, $"{section.Display}: Kgent's symbolic verifier needs the tracepoint's format to read ctx");
        }

        contextId = parameters.FirstOrDefault()?.Id;
        var body = function.Inner.Last(n => n.Kind == "CompoundStmt");
        output.Write(function.Line, 1, $"{section.AttachPoint} {{");
        Statement(body);
        output.Write(Math.Max(function.EndLine, body.EndLine), 1, "}");
    }

    // ---------------------------------------------------------------- statements

    private void Statement(CAstNode node)
    {
        switch (node.Kind)
        {
            case "CompoundStmt":
                foreach (var child in node.Inner)
                {
                    Statement(child);
                }

                return;
            case "StmtExpr":
                Statement(node[0]);
                return;
            case "DeclStmt":
                foreach (var declaration in node.Inner.Where(n => n.Kind == "VarDecl"))
                {
                    Declare(declaration);
                }

                return;
            case "NullStmt":
                return;
            case "ReturnStmt":
                // The value a tracepoint program returns is not used, but what computing it does is: it must be modelled.
                if (node.Inner.Length > 0 && Constant(node[0]) is null)
                {
                    _ = Expr(node[0]);
                }

                Write(node, "return;");
                return;
            case "IfStmt":
                If(node);
                return;
            case "ParenExpr" or "CStyleCastExpr" when Annotation(node) is { } annotation:
                Write(node, $"{annotation.Kind}({Condition(annotation.Condition)});");
                return;
            case "ParenExpr":
                Statement(node[0]);
                return;
            case "CStyleCastExpr" or "ImplicitCastExpr" when node.CastKind == "ToVoid":
                Statement(node[0]);
                return;
            case "CallExpr":
                Call(node);
                return;
            case "BinaryOperator" when node.Opcode == "=" && node[0].Bare() is { Kind: "DeclRefExpr", Referenced: { } pointer } && Find(node[0].Bare()) is Local.Unset
                                              && Unwrap(node[1]) is { Kind: "CallExpr" } call && CalleeName(call) is "bpf_map_lookup_elem" or "bpf_ringbuf_reserve":
                // A pointer declared first and set later: count = bpf_map_lookup_elem(&m, &k); e = bpf_ringbuf_reserve(...).
                locals[pointer.Id] = CalleeName(call) == "bpf_ringbuf_reserve" ? new Local.Record(Unique(pointer.Name)) { Depth = depth } : new Local.Slot(MapName(call[1]), KeyText(call[2]));
                return;
            case "BinaryOperator" when node.Opcode == "=":
                Store(node[0], Expr(node[1]), node);
                return;
            case "CompoundAssignOperator":
                Store(node[0], $"{Read(node[0])} {node.Opcode![..^1]} ({Expr(node[1])})", node);
                return;
            case "UnaryOperator" when node.Opcode is "++" or "--":
                Store(node[0], $"{Read(node[0])} {node.Opcode[0]} 1", node);
                return;
            default:
                throw new NotModelledException(node, $"the statement ({Describe(node)})");
        }
    }

    private void Declare(CAstNode declaration)
    {
        var name = declaration.Name ?? "_";
        var id = declaration.Id ?? name;
        var init = declaration.Inner.FirstOrDefault(n => n.Kind != "AlignedAttr" && !n.Kind.EndsWith("Attr", StringComparison.Ordinal));
        var type = declaration.Type ?? string.Empty;
        if (init?.Bare() is { Kind: "StringLiteral" } text)
        {
            // A format kept in a local array (BPF_SNPRINTF's ___fmt, bpf_printk's ____fmt).
            locals[id] = new Local.Literal(text.Value!);
            return;
        }

        if (declaration.StorageClass == "static")
        {
            locals[id] = init?.Bare() is { Kind: "StringLiteral" } literal
                ? new Local.Literal(literal.Value!)
                : throw new NotModelledException(declaration, $"the static variable '{name}'");
            return;
        }

        if (init?.Bare() is { Kind: "CallExpr" } call && CalleeName(call) is { } helper)
        {
            switch (helper)
            {
                case "bpf_ringbuf_reserve":
                    locals[id] = new Local.Record(Unique(name)) { Depth = depth };
                    return;
                case "bpf_map_lookup_elem":
                    locals[id] = new Local.Slot(MapName(call[1]), KeyText(call[2]));
                    return;
                case "bpf_get_current_pid_tgid" or "bpf_get_current_uid_gid" or "bpf_ktime_get_ns" or "bpf_ktime_get_boot_ns" or "bpf_get_smp_processor_id" or "bpf_get_current_task":
                    locals[id] = new Local.Alias(init);
                    return;
            }
        }

        if (type.Contains('[', StringComparison.Ordinal))
        {
            locals[id] = init is null || IsZero(init) ? new Local.Record(Unique(name)) { IsArray = true, Depth = depth } : throw new NotModelledException(declaration, $"the initialized array '{name}'");
            return;
        }

        if (type.StartsWith("struct ", StringComparison.Ordinal) && !type.Contains('*', StringComparison.Ordinal))
        {
            locals[id] = init is null || IsZero(init) ? new Local.Record(Unique(name)) { Depth = depth } : throw new NotModelledException(declaration, $"the initialized struct '{name}'");
            return;
        }

        if (type.Contains('*', StringComparison.Ordinal))
        {
            // A pointer into the kernel (struct sock *sk = (struct sock *)ctx->skaddr): the expression it holds, which
            // must be one Kgent models even when the pointer is never used.
            if (init is not null)
            {
                _ = Expr(init);
            }

            locals[id] = init is null ? new Local.Unset(name) : new Local.Alias(init);
            return;
        }

        var scalar = new Local.Scalar(Unique(name), type);
        locals[id] = scalar;
        if (init is null)
        {
            return;
        }

        scalar.Assigned = true;
        scalar.Constant = Unwrap(init) is { Kind: "IntegerLiteral" } number ? number.Value : null;
        Write(declaration, $"{scalar.Variable} = {Narrowed(Expr(init), init.Type, type)};");
    }

    private void If(CAstNode node)
    {
        var condition = node[0];
        var then = node[1];
        var otherwise = node.Inner.Length > 2 ? node[2] : null;
        if (SlotTest(condition) is { } test)
        {
            Update(node, test.Slot, test.Negated ? otherwise : then, test.Negated ? then : otherwise);
            return;
        }

        if (RecordTest(condition) is { } failed)
        {
            // A reservation that fails drops the event (the buffer is full): the program goes on as if it succeeded.
            var taken = failed ? otherwise : then;
            if (taken is not null)
            {
                Statement(taken);
            }

            return;
        }

        Write(node, $"if ({Condition(condition)}) {{");
        depth++;
        Statement(then);
        if (otherwise is not null)
        {
            output.Append("} else {");
            Statement(otherwise);
        }

        depth--;
        output.Append("}");
    }

    /// <summary>The lookup-then-update idiom: <c>if (v) __sync_fetch_and_add(v, A); else bpf_map_update_elem(&amp;m, &amp;k,
    /// &amp;A, ...)</c> (either way round) is a per-key counter (<c>count()</c> when A is 1) or sum.</summary>
    private void Update(CAstNode node, Local.Slot slot, CAstNode? present, CAstNode? absent)
    {
        var added = present is null ? null : Single(present) is { } add ? Increment(add, slot) : null;
        var inserted = absent is null ? null : Single(absent) is { Kind: "CallExpr" } insert && CalleeName(insert) == "bpf_map_update_elem"
            && MapName(insert[1]) == slot.Map && KeyText(insert[2]) == slot.Key && insert[3].Bare() is { Kind: "UnaryOperator", Opcode: "&" } value ? Amount(value[0]) : null;
        if (added is null || inserted is null || added != inserted)
        {
            throw new NotModelledException(node, $"this use of a map value pointer; Kgent reads a lookup that adds to the value when the key is there and inserts the same amount when it is not");
        }

        Write(node, added == "1" ? $"@{slot.Map}[{slot.Key}] = count();" : $"@{slot.Map}[{slot.Key}] = sum({added});");
    }

    private string? Increment(CAstNode statement, Local.Slot slot)
    {
        var bare = statement.Bare();
        // clang names the builtin by its operand's size (__sync_fetch_and_add_8).
        if (bare.Kind == "CallExpr" && CalleeName(bare) is { } name && name.StartsWith("__sync_fetch_and_add", StringComparison.Ordinal) && IsSlot(bare[1], slot))
        {
            return Amount(bare[2]);
        }

        if (bare is { Kind: "CompoundAssignOperator", Opcode: "+=" } && bare[0].Bare() is { Kind: "UnaryOperator", Opcode: "*" } deref && IsSlot(deref[0], slot))
        {
            return Amount(bare[1]);
        }

        return null;
    }

    /// <summary>An amount: a variable that holds a constant is that constant (so adding a one is a count).</summary>
    private string Amount(CAstNode node) =>
        node.Bare() is { Kind: "DeclRefExpr" } reference && Find(reference) is Local.Scalar { Constant: { } constant } ? constant : Expr(node);

    private bool IsSlot(CAstNode node, Local.Slot slot) => node.Bare() is { Kind: "DeclRefExpr" } reference && Find(reference) == slot;

    private static CAstNode? Single(CAstNode statement) =>
        statement.Kind == "CompoundStmt" ? statement.Inner.Length == 1 ? statement[0] : null : statement;

    private (Local.Slot Slot, bool Negated)? SlotTest(CAstNode condition) =>
        PointerTest(condition) is ({ } local, var negated) && local is Local.Slot slot ? (slot, negated) : null;

    /// <summary>True for <c>!e</c> (the reservation failed), false for <c>e</c>, null when not a test of a record pointer.</summary>
    private bool? RecordTest(CAstNode condition) =>
        PointerTest(condition) is ({ } local, var failed) && local is Local.Record { IsArray: false } ? failed : null;

    /// <summary>A test of a pointer variable, <c>p</c> or <c>!p</c>: the variable and whether it is negated.</summary>
    private (Local? Local, bool Negated)? PointerTest(CAstNode condition)
    {
        var bare = condition.Bare();
        var negated = false;
        if (bare is { Kind: "UnaryOperator", Opcode: "!" })
        {
            negated = true;
            bare = bare[0].Bare();
        }

        if (bare is { Kind: "ImplicitCastExpr", CastKind: "PointerToBoolean" })
        {
            bare = bare[0].Bare();
        }

        return bare.Kind == "DeclRefExpr" ? (Find(bare), negated) : null;
    }

    // ---------------------------------------------------------------- calls as statements

    private void Call(CAstNode call)
    {
        var name = CalleeName(call) ?? throw new NotModelledException(call, "a call through a computed function");
        var arguments = call.Inner.Skip(1).ToList();
        switch (name)
        {
            case "bpf_probe_read_kernel" or "bpf_probe_read" or "bpf_probe_read_user" when arguments.Count == 3:
                Store(arguments[0], Dereference(arguments[2]), call, address: true);
                return;
            case "bpf_probe_read_kernel_str" or "bpf_probe_read_user_str" or "bpf_probe_read_str" when arguments.Count == 3:
                Store(arguments[0], Text(arguments[2]), call, address: true, text: true);
                return;
            case "bpf_get_current_comm" when arguments.Count == 2:
                Store(arguments[0], "comm", call, address: true, text: true);
                return;
            case "__builtin_memcpy" when arguments.Count == 3:
                Store(arguments[0], Copied(arguments[1]), call, address: true, text: true);
                return;
            case "bpf_ringbuf_submit" when arguments.Count == 2:
                Print(call, RecordOf(arguments[0], address: false));
                return;
            case "bpf_ringbuf_discard":
                return;
            case "bpf_ringbuf_output" when arguments.Count == 4:
                Print(call, RecordOf(arguments[1], address: true));
                return;
            case "bpf_perf_event_output" when arguments.Count == 5:
                Print(call, RecordOf(arguments[3], address: true));
                return;
            case "bpf_trace_printk" when arguments.Count >= 2:
                Write(call, $"printf({Format(arguments[0])}{string.Concat(arguments.Skip(2).Select(a => ", " + Expr(a)))});");
                return;
            case "bpf_trace_vprintk" when arguments.Count == 4:
                Write(call, $"printf({Format(arguments[0])}{string.Concat(Parameters(arguments[2]).Select(a => ", " + a))});");
                return;
            case "bpf_snprintf" when arguments.Count == 5:
                Store(arguments[0], $"{Format(arguments[2], newline: false)}{string.Concat(Parameters(arguments[3]).Select(a => ", " + a))}", call,
                    address: true, text: true, formatted: true);
                return;
            case "bpf_map_update_elem" when arguments.Count == 4:
                Write(call, $"@{MapName(arguments[0])}[{KeyText(arguments[1])}] = {ValueText(arguments[2])};");
                return;
            case "bpf_map_delete_elem" when arguments.Count == 2:
                Write(call, $"delete(@{MapName(arguments[0])}[{KeyText(arguments[1])}]);");
                return;
            default:
                throw new NotModelledException(call, $"the call to {name}");
        }
    }

    private void Print(CAstNode call, Local.Record record)
    {
        if (record.Fields.Count == 0)
        {
            throw new NotModelledException(call, $"an event whose fields Kgent did not see set");
        }

        var format = new StringBuilder();
        var values = new List<string>();
        foreach (var (field, value) in record.Fields)
        {
            if (format.Length > 0)
            {
                format.Append(' ');
            }

            switch (value.Kind)
            {
                case FieldKind.Formatted:
                    var comma = SplitFormat(value.Text);
                    format.Append(comma.Format);
                    values.AddRange(comma.Arguments);
                    break;
                case FieldKind.Text:
                    format.Append(field).Append("=%s");
                    values.Add(value.Text);
                    break;
                default:
                    format.Append(field).Append("=%d");
                    values.Add(value.Text);
                    break;
            }
        }

        Write(call, $"printf(\"{format}\\n\"{string.Concat(values.Select(v => ", " + v))});");
    }

    /// <summary>A formatted field's text is <c>"FORMAT", a, b</c>: its format (without quotes) and arguments.</summary>
    private static (string Format, List<string> Arguments) SplitFormat(string text)
    {
        var end = text.IndexOf("\"", 1, StringComparison.Ordinal);
        while (end > 0 && text[end - 1] == '\\')
        {
            end = text.IndexOf("\"", end + 1, StringComparison.Ordinal);
        }

        var rest = text[(end + 1)..];
        return (text[1..end], [.. rest.Split(", ", StringSplitOptions.RemoveEmptyEntries)]);
    }

    // ---------------------------------------------------------------- stores and reads

    /// <summary>Stores <paramref name="value"/> in what <paramref name="target"/> names (with <paramref name="address"/>,
    /// what it points to: <c>&amp;x</c>, <c>&amp;e->f</c>, or an array that decays to its address).</summary>
    private void Store(CAstNode target, string value, CAstNode at, bool address = false, bool text = false, bool formatted = false)
    {
        var bare = target.Bare();
        if (address)
        {
            if (bare is { Kind: "UnaryOperator", Opcode: "&" })
            {
                bare = bare[0].Bare();
            }
            else if (bare.Kind == "DeclRefExpr" && Find(bare) is Local.Alias or Local.Scalar)
            {
                throw new NotModelledException(target, "a read into memory a pointer variable points to");
            }
        }

        var kind = formatted ? FieldKind.Formatted : text ? FieldKind.Text : FieldKind.Number;
        switch (bare.Kind)
        {
            case "DeclRefExpr":
                switch (Find(bare))
                {
                    case Local.Scalar scalar:
                        scalar.Assigned = true;
                        scalar.Constant = null;
                        Write(at, $"{scalar.Variable} = {value};");
                        return;
                    case Local.Record { IsArray: true } array:
                        // Read back as the value it holds (a record's fields are printed as their values).
                        Unconditional(array, target);
                        array.Set(string.Empty, new FieldValue(value, kind));
                        return;
                    case Local.Temporary temporary:
                        temporary.Value = value;
                        return;
                }

                break;
            case "MemberExpr" when bare[0].Bare() is { Kind: "DeclRefExpr" } owner && Find(owner) is Local.Record record && !string.IsNullOrEmpty(bare.Name):
                Unconditional(record, target);
                record.Set(bare.Name!, new FieldValue(value, kind));
                return;
            case "ArraySubscriptExpr" when bare[0].Bare() is { Kind: "DeclRefExpr" } array && Find(array) is Local.Record { IsArray: true } parameters
                                            && Constant(bare[1]) is { } index:
                Unconditional(parameters, target);
                parameters.Set(index.ToString(CultureInfo.InvariantCulture), new FieldValue(value, kind));
                return;
            case "UnaryOperator" when bare.Opcode == "*" && bare[0].Bare() is { Kind: "DeclRefExpr" } pointer && Find(pointer) is Local.Slot:
                // Outside the lookup-then-update idiom a store through the pointer changes only a key that is there.
                throw new NotModelledException(target, "a store through a map value pointer outside the lookup-then-update idiom");
        }

        throw new NotModelledException(target, $"a store into {Describe(bare)}");
    }

    private string Read(CAstNode target) => Expr(target);

    /// <summary>A record's fields are read as the values they were last given, which is right only when every store
    /// happens on every path that reaches the read: a store under an if the record was not declared under is refused.</summary>
    private void Unconditional(Local.Record record, CAstNode target)
    {
        if (depth > record.Depth)
        {
            throw new NotModelledException(target, $"a field of '{record.Variable[1..]}' set under a condition (Kgent reads a record's fields as the values they were last given)");
        }
    }

    private string Dereference(CAstNode source)
    {
        var bare = Unwrap(source);
        return bare is { Kind: "UnaryOperator", Opcode: "&" }
            ? Expr(bare[0])
            : throw new NotModelledException(source, "a read through a pointer Kgent cannot name (only reads of a field or variable, &x->f, are modelled)");
    }

    /// <summary>The source of a string read as bpftrace text.</summary>
    private string Text(CAstNode source)
    {
        var bare = Unwrap(source);
        // (void *)ctx + (ctx->__data_loc_F & 0xFFFF): the record's variable-length string F.
        if (bare is { Kind: "BinaryOperator", Opcode: "+" } && bare[1].Bare() is { Kind: "BinaryOperator", Opcode: "&" } mask
            && mask[0].Bare() is { Kind: "MemberExpr" } location && IsContext(location[0])
            && location.Name is { } loc && loc.StartsWith("__data_loc_", StringComparison.Ordinal))
        {
            return $"str(args->{loc["__data_loc_".Length..]})";
        }

        if (bare is { Kind: "MemberExpr" } member && IsContext(member[0]) && format?.FindField(member.Name ?? string.Empty) is { IsCharArray: true })
        {
            return $"args->{member.Name}";
        }

        return $"str({Expr(source)})";
    }

    private string Copied(CAstNode source)
    {
        var bare = Unwrap(source);
        if (bare is { Kind: "MemberExpr" } member && IsContext(member[0]) && format?.FindField(member.Name ?? string.Empty) is { } field)
        {
            return field.ArrayLength is 4 or 16 && !field.IsCharArray ? $"ntop(args->{field.Name})" : $"args->{field.Name}";
        }

        throw new NotModelledException(source, "a copy from memory other than a field of the tracepoint's record");
    }

    /// <summary>The value of an integer constant expression of literals, + and - (the macros' <c>0 + 1</c>), or null.</summary>
    private static long? Constant(CAstNode node)
    {
        var bare = Unwrap(node);
        return bare switch
        {
            { Kind: "IntegerLiteral" } when long.TryParse(bare.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
            { Kind: "BinaryOperator", Opcode: "+" } when Constant(bare[0]) is { } left && Constant(bare[1]) is { } right => left + right,
            { Kind: "BinaryOperator", Opcode: "-" } when Constant(bare[0]) is { } left && Constant(bare[1]) is { } right => left - right,
            _ => null,
        };
    }

    private static CAstNode Unwrap(CAstNode node)
    {
        var bare = node.Bare();
        while (bare.Kind is "CStyleCastExpr" or "ImplicitCastExpr" && bare.Inner.Length == 1
               || bare.Kind == "CallExpr" && CalleeName(bare) == "__builtin_preserve_access_index")
        {
            bare = (bare.Kind == "CallExpr" ? bare[1] : bare[0]).Bare();
        }

        return bare;
    }

    private Local.Record RecordOf(CAstNode node, bool address)
    {
        var bare = node.Bare();
        if (address && bare is { Kind: "UnaryOperator", Opcode: "&" })
        {
            bare = bare[0].Bare();
        }

        return bare.Kind == "DeclRefExpr" && Find(bare) is Local.Record record
            ? record
            : throw new NotModelledException(node, "an event that is not a local record (a struct or a ring buffer reservation)");
    }

    private IEnumerable<string> Parameters(CAstNode node)
    {
        var record = RecordOf(node, address: false);
        return record.Fields.Select(f => f.Value.Text);
    }

    private static string MapName(CAstNode node) =>
        node.Bare() is { Kind: "UnaryOperator", Opcode: "&" } address && address[0].Bare() is { Kind: "DeclRefExpr", Referenced.Kind: "VarDecl" } map
            ? map.Referenced!.Name
            : throw new NotModelledException(node, "a map that is not named (&map)");

    /// <summary>A map key (<c>&amp;k</c>): a variable, or a struct's fields in the order they were set.</summary>
    private string KeyText(CAstNode node)
    {
        var bare = node.Bare();
        if (bare is not { Kind: "UnaryOperator", Opcode: "&" })
        {
            throw new NotModelledException(node, "a map key that is not a variable's address (&key)");
        }

        var target = bare[0].Bare();
        if (target.Kind == "DeclRefExpr" && Find(target) is Local.Record record)
        {
            return record.Fields.Count == 0 ? "0" : string.Join(", ", record.Fields.Select(f => f.Value.Text));
        }

        return Expr(target);
    }

    private string ValueText(CAstNode node)
    {
        var bare = node.Bare();
        return bare is { Kind: "UnaryOperator", Opcode: "&" }
            ? Expr(bare[0])
            : throw new NotModelledException(node, "a map value that is not a variable's address (&value)");
    }

    private string Format(CAstNode node, bool newline = true)
    {
        var bare = node.Bare();
        var literal = bare.Kind == "StringLiteral" ? bare.Value
            : bare.Kind == "DeclRefExpr" && Find(bare) is Local.Literal known ? known.Text
            : null;
        if (literal is null || literal.Length < 2)
        {
            throw new NotModelledException(node, "a format that is not a string literal");
        }

        var text = Specifiers.Replace(literal[1..^1], m => m.Groups["length"].Success ? m.Value.Replace(m.Groups["length"].Value, string.Empty, StringComparison.Ordinal) : m.Value);
        if (text.Contains("%p", StringComparison.Ordinal))
        {
            throw new NotModelledException(node, "a %p format (the kernel's pointer formats)");
        }

        return newline && !text.EndsWith("\\n", StringComparison.Ordinal) ? $"\"{text}\\n\"" : $"\"{text}\"";
    }

    private static readonly System.Text.RegularExpressions.Regex Specifiers =
        new(@"%[-+ #0]*\d*(?:\.\d+)?(?<length>ll|l|hh|h|z)?[diuxXcs]", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    // ---------------------------------------------------------------- expressions

    private string Condition(CAstNode node) => Expr(node);

    private string Expr(CAstNode node)
    {
        switch (node.Kind)
        {
            case "ParenExpr":
                return $"({Expr(node[0])})";
            case "ImplicitCastExpr" or "CStyleCastExpr":
                return Cast(node);
            case "ConstantExpr" or "FullExpr" or "ExprWithCleanups":
                return Expr(node[0]);
            case "IntegerLiteral":
                return node.Value!;
            case "CharacterLiteral":
                return node.Value!;
            case "DeclRefExpr":
                return Reference(node);
            case "MemberExpr":
                return Member(node);
            case "ArraySubscriptExpr":
                return Subscript(node);
            case "UnaryOperator":
                return Unary(node);
            case "BinaryOperator":
                return Binary(node);
            case "ConditionalOperator":
                return IsCall(node[0], "__builtin_constant_p") ? Expr(node[2]) : $"({Expr(node[0])} ? {Expr(node[1])} : {Expr(node[2])})";
            case "StmtExpr":
                return StatementExpression(node);
            case "CallExpr":
                return CallValue(node);
            default:
                throw new NotModelledException(node, Describe(node));
        }
    }

    private string Cast(CAstNode node)
    {
        var inner = node[0];
        switch (node.CastKind)
        {
            case "IntegralCast":
                if (IsCall(inner, "bpf_get_current_pid_tgid") && CTypes.Bits(node.Type) <= 32)
                {
                    return "tid";
                }

                if (IsCall(inner, "bpf_get_current_uid_gid") && CTypes.Bits(node.Type) <= 32)
                {
                    return "uid";
                }

                var value = Expr(inner);
                return node.Kind == "CStyleCastExpr" && CTypes.Bits(node.Type) < 64 && !Fits(value, node.Type)
                    ? $"({CTypes.Bpftrace(node.Type)})({value})"
                    : Narrowed(value, inner.Type, node.Type);
            case "ToVoid":
                throw new NotModelledException(node, "a (void) cast in a value");
            default:
                if (node.Kind == "CStyleCastExpr" && CTypes.StructPointer(node.Type) is { } pointer)
                {
                    return $"(({pointer}){Expr(inner)})";
                }

                return Expr(inner);
        }
    }

    private static string Narrowed(string value, string? from, string? to) =>
        CTypes.Bits(to) < CTypes.Bits(from) && CTypes.IsInteger(to) && !Fits(value, to) ? $"({CTypes.Bpftrace(to)})({value})" : value;

    /// <summary>The task's ids and the CPU number are 32-bit values in the kernel: a cast to 32 bits keeps them.</summary>
    private static bool Fits(string value, string? type) => value is "pid" or "tid" or "uid" or "gid" or "cpu" && CTypes.Bits(type) >= 32;

    private string Reference(CAstNode node)
    {
        if (node.Referenced is { Kind: "EnumConstantDecl" } constant)
        {
            return constant.Name;
        }

        if (IsContext(node))
        {
            throw new NotModelledException(node, "ctx used as a value (only its fields, ctx->F, are modelled)");
        }

        return Find(node) switch
        {
            Local.Scalar { Assigned: true } scalar => scalar.Variable,
            Local.Scalar scalar => throw new NotModelledException(node, $"'{scalar.Variable[1..]}' read before it is set"),
            Local.Alias alias => $"({Expr(alias.Value)})",
            Local.Temporary { Value: { } value } => value,
            Local.Record { IsArray: true } array when array.Fields.Count > 0 => array.Fields[^1].Value.Text,
            _ => throw new NotModelledException(node, $"the variable '{node.Referenced?.Name}'"),
        };
    }

    private string Member(CAstNode node)
    {
        var chain = new List<CAstNode>();
        var current = node;
        while (current.Kind == "MemberExpr")
        {
            chain.Add(current);
            current = current[0].Bare();
        }

        chain.Reverse();
        var first = chain[0];
        string text;
        var start = 0;
        if (IsContext(current))
        {
            if (string.IsNullOrEmpty(first.Name) || format?.FindField(first.Name) is null)
            {
                throw new NotModelledException(node, $"ctx->{first.Name}, which is not a field of {section.Display}");
            }

            text = $"args->{first.Name}";
            start = 1;
        }
        else if (current.Kind == "DeclRefExpr" && Find(current) is Local.Record record)
        {
            var field = record.Fields.FirstOrDefault(f => f.Field == first.Name);
            text = field.Value is { } value ? value.Text : "0";
            start = 1;
        }
        else
        {
            text = Expr(current);
            if (!text.StartsWith('(') || !text.EndsWith(')'))
            {
                text = $"({text})";
            }
        }

        bool? arrow = null;
        foreach (var member in chain.Skip(start))
        {
            arrow ??= member.IsArrow;
            if (string.IsNullOrEmpty(member.Name))
            {
                continue;
            }

            text += (arrow.Value ? "->" : ".") + member.Name;
            arrow = null;
        }

        return text;
    }

    private string Subscript(CAstNode node)
    {
        var array = node[0].Bare();
        var index = node[1].Bare();
        if (array is { Kind: "MemberExpr", Name: "args" } arguments && IsContext(arguments[0]) && index.Kind == "IntegerLiteral" && format is not null)
        {
            var position = int.Parse(index.Value!, CultureInfo.InvariantCulture);
            var fields = CContextStruct.SyscallArguments(format);
            return position < fields.Count
                ? $"args->{fields[position].Name}"
                : throw new NotModelledException(node, $"ctx->args[{position}]: {section.Display} has {fields.Count} arguments");
        }

        return $"{Expr(node[0])}[{Expr(node[1])}]";
    }

    private string Unary(CAstNode node)
    {
        switch (node.Opcode)
        {
            case "!" or "-" or "~":
                return $"{node.Opcode}({Expr(node[0])})";
            case "+":
                return Expr(node[0]);
            case "*" when node[0].Bare() is { Kind: "DeclRefExpr" } pointer && Find(pointer) is Local.Slot:
                throw new NotModelledException(node, "a read through a map value pointer outside the lookup-then-update idiom");
            default:
                throw new NotModelledException(node, $"the operator {node.Opcode} here");
        }
    }

    private string Binary(CAstNode node)
    {
        if (node.Opcode is "=" or ",")
        {
            throw new NotModelledException(node, $"the operator {node.Opcode} inside an expression");
        }

        var left = node[0];
        var right = node[1];
        if (node.Opcode == ">>" && right.Bare() is { Kind: "IntegerLiteral", Value: "32" })
        {
            if (IsCall(left, "bpf_get_current_pid_tgid"))
            {
                return "pid";
            }

            if (IsCall(left, "bpf_get_current_uid_gid"))
            {
                return "gid";
            }
        }

        if (node.Opcode == "&" && right.Bare() is { Kind: "IntegerLiteral", Value: "4294967295" })
        {
            if (IsCall(left, "bpf_get_current_pid_tgid"))
            {
                return "tid";
            }

            if (IsCall(left, "bpf_get_current_uid_gid"))
            {
                return "uid";
            }
        }

        return $"({Expr(left)} {node.Opcode} {Expr(right)})";
    }

    private string StatementExpression(CAstNode node)
    {
        var body = node[0];
        if (body.Inner.Length == 0)
        {
            throw new NotModelledException(node, "an empty statement expression");
        }

        foreach (var statement in body.Inner.Take(body.Inner.Length - 1))
        {
            if (statement.Kind == "DeclStmt")
            {
                foreach (var declaration in statement.Inner.Where(n => n.Kind == "VarDecl" && n.Inner.IsEmpty && !(n.Type ?? string.Empty).Contains('[', StringComparison.Ordinal)))
                {
                    locals[declaration.Id ?? declaration.Name ?? "_"] = new Local.Temporary();
                }

                foreach (var declaration in statement.Inner.Where(n => n.Kind == "VarDecl" && (!n.Inner.IsEmpty || (n.Type ?? string.Empty).Contains('[', StringComparison.Ordinal))))
                {
                    Declare(declaration);
                }

                continue;
            }

            Statement(statement);
        }

        return Expr(body.Inner[^1]);
    }

    private string CallValue(CAstNode call)
    {
        var name = CalleeName(call) ?? throw new NotModelledException(call, "a call through a computed function");
        var arguments = call.Inner.Skip(1).ToList();
        return name switch
        {
            "bpf_get_current_pid_tgid" => "((pid << 32) | tid)",
            "bpf_get_current_uid_gid" => "((gid << 32) | uid)",
            "bpf_ktime_get_ns" or "bpf_ktime_get_boot_ns" => "nsecs",
            "bpf_get_smp_processor_id" => "cpu",
            "bpf_get_current_task" => "curtask",
            "bpf_get_prandom_u32" => "rand",
            "__builtin_bswap16" when arguments.Count == 1 => $"ntohs({Expr(arguments[0])})",
            "__builtin_bswap32" when arguments.Count == 1 => $"ntohl({Expr(arguments[0])})",
            "__builtin_bswap64" when arguments.Count == 1 => $"bswap({Expr(arguments[0])})",
            "__builtin_preserve_access_index" or "__builtin_expect" when arguments.Count >= 1 => Expr(arguments[0]),
            _ => throw new NotModelledException(call, $"the value of a call to {name}"),
        };
    }

    // ---------------------------------------------------------------- helpers

    private bool IsCall(CAstNode node, string name)
    {
        var bare = node.Bare();
        while (bare.Kind is "ImplicitCastExpr" or "CStyleCastExpr" && bare.Inner.Length == 1)
        {
            bare = bare[0].Bare();
        }

        if (bare.Kind == "DeclRefExpr" && Find(bare) is Local.Alias alias)
        {
            return IsCall(alias.Value, name);
        }

        return bare.Kind == "CallExpr" && CalleeName(bare) == name;
    }

    private static string? CalleeName(CAstNode call) =>
        call.Inner.Length > 0 && call[0].Bare() is { Kind: "DeclRefExpr", Referenced: { } callee } ? callee.Name : null;

    private bool IsContext(CAstNode node) =>
        node.Bare() is { Kind: "DeclRefExpr", Referenced: { Kind: "ParmVarDecl" } parameter } && parameter.Id == contextId;

    private Local? Find(CAstNode reference) =>
        reference.Referenced is { } declaration && locals.TryGetValue(declaration.Id, out var local) ? local : null;

    private static bool IsZero(CAstNode init) =>
        init.Kind == "InitListExpr" && init.DescendantsAndSelf().Skip(1).All(n => n.Kind is "ImplicitValueInitExpr" or "ImplicitCastExpr" || n is { Kind: "IntegerLiteral", Value: "0" });

    private static (string Kind, CAstNode Condition)? Annotation(CAstNode node)
    {
        var bare = node;
        while (bare.Kind is "ParenExpr" || bare is { Kind: "CStyleCastExpr", CastKind: "ToVoid" })
        {
            bare = bare[0];
        }

        if (bare.Kind != "CallExpr" || CalleeName(bare) != "__builtin_annotation" || bare.Inner.Length != 3
            || bare[2].Bare() is not { Kind: "StringLiteral" } mark)
        {
            return null;
        }

        var kind = mark.Value switch
        {
            $"\"{Compile.CAnnotations.AssertMark}\"" => "assert",
            $"\"{Compile.CAnnotations.AssumeMark}\"" => "assume",
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        // !!(COND): the condition inside the two negations.
        var condition = bare[1];
        for (var i = 0; i < 2 && condition.Bare() is { Kind: "UnaryOperator", Opcode: "!" } not; i++)
        {
            condition = not[0];
        }

        return (kind, condition.Bare() is { Kind: "ParenExpr" } parenthesized ? parenthesized[0] : condition);
    }

    private void Write(CAstNode node, string text)
    {
        if (node.Line > 0)
        {
            output.Write(node.Line, node.Column, text);
        }
        else
        {
            output.Append(text);
        }
    }

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 2; !names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return "$" + candidate;
    }

    private static string Describe(CAstNode node) => node.Kind switch
    {
        "ForStmt" or "WhileStmt" or "DoStmt" => "a loop",
        "SwitchStmt" => "a switch",
        "GotoStmt" or "LabelStmt" => "a goto",
        "StringLiteral" => "a string",
        "UnaryExprOrTypeTraitExpr" => "sizeof",
        "ArraySubscriptExpr" => "an array element",
        "MemberExpr" => $"the field {node.Name}",
        "DeclRefExpr" => $"'{node.Referenced?.Name}'",
        _ => $"a {node.Kind}",
    };

    private enum FieldKind
    {
        Number,
        Text,
        Formatted,
    }

    private sealed record FieldValue(string Text, FieldKind Kind);

    private abstract record Local
    {
        /// <summary>A scalar local: a bpftrace variable.</summary>
        public sealed record Scalar(string Variable, string Type) : Local
        {
            public bool Assigned { get; set; }

            /// <summary>The integer literal it was declared with, while nothing else was stored in it.</summary>
            public string? Constant { get; set; }
        }

        /// <summary>A local that stands for an expression without side effects (a kernel pointer, a helper's value).</summary>
        public sealed record Alias(CAstNode Value) : Local;

        /// <summary>A pointer declared without a value.</summary>
        public sealed record Unset(string Name) : Local;

        /// <summary>A struct or array on the stack, or a ring buffer reservation: its fields as they are set.</summary>
        public sealed record Record(string Variable) : Local
        {
            public bool IsArray { get; init; }

            /// <summary>How many if-branches it was declared in.</summary>
            public int Depth { get; init; }

            public List<(string Field, FieldValue Value)> Fields { get; } = [];

            public void Set(string field, FieldValue value)
            {
                var index = Fields.FindIndex(f => f.Field == field);
                if (index >= 0)
                {
                    Fields[index] = (field, value);
                }
                else
                {
                    Fields.Add((field, value));
                }
            }
        }

        /// <summary>A map value pointer from <c>bpf_map_lookup_elem</c>.</summary>
        public sealed record Slot(string Map, string Key) : Local;

        /// <summary>A macro's temporary (BPF_CORE_READ's <c>__r</c>): the value last read into it.</summary>
        public sealed record Temporary : Local
        {
            public string? Value { get; set; }
        }

        /// <summary>A static string (bpf_printk's format).</summary>
        public sealed record Literal(string Text) : Local;
    }
}
