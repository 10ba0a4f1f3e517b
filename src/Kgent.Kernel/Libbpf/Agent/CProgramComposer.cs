using System.Text;
using Kgent.Kernel.Agent.Offline.Composer;
using Kgent.Kernel.Intent;
using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Libbpf.Check;

namespace Kgent.Kernel.Libbpf.Agent;

/// <summary>The offline model's composer for libbpf C: from the same intent specification, the same hooks, terms, keys
/// and predicates the bpftrace composer chooses (<see cref="ProgramComposer"/>), lowered to C
/// (<see cref="CExpressionLowering"/>) in Kgent's C conventions: per-event lines through a ring buffer of a
/// <c>struct event</c>, counts and sums in hash maps, histograms in an array map named <c>*_hist</c>. Printing, counting,
/// summing and histograms on tracepoints; what it cannot say in C (latencies, averages, kernel functions) it leaves out
/// instead of guessing.</summary>
internal static class CProgramComposer
{
    private const int TextBytes = 128;

    public static IReadOnlyList<(string Program, string Summary)> Compose(IntentSpec spec, ProbeCatalog? catalog, IReadOnlySet<string> named)
    {
        var kind = ProgramComposer.KindOf(spec);
        if (catalog is null || kind is not (ComputationKind.Print or ComputationKind.Count or ComputationKind.Sum or ComputationKind.Histogram))
        {
            return [];
        }

        var events = spec.Events.Where(e => e.Role == EventRole.Main && !e.Hooks.IsEmpty).ToList();
        if (events.Count == 0)
        {
            return [];
        }

        var needsValue = kind is ComputationKind.Sum or ComputationKind.Histogram;
        var groups = events.Select(e => HookChoice.Groups(e, spec, catalog, named, needsValue)).ToList();
        var results = new List<(string, string)>();
        for (var k = 0; k < groups.Max(g => g.Count) && results.Count < ProgramComposer.Limit; k++)
        {
            var chosen = events.Select((e, i) => (Event: e, Sites: groups[i].Count == 0 ? [] : groups[i][Math.Min(k, groups[i].Count - 1)]))
                .Where(c => c.Sites.Count > 0 && c.Sites.All(s => s.IsTracepoint && s.Format is not null)).ToList();
            if (chosen.Count == 0 || Compose(spec, kind, chosen, catalog) is not { } program || results.Exists(r => r.Item1 == program))
            {
                continue;
            }

            var what = kind switch { ComputationKind.Print => "prints", ComputationKind.Count => "counts", ComputationKind.Sum => "sums", _ => "a histogram of" };
            results.Add((program, $"libbpf C; {what} {string.Join(" and ", chosen.Select(c => c.Event.Name))} on {string.Join(", ", chosen.SelectMany(c => c.Sites).Select(s => s.AttachPoint))}"));
        }

        return results;
    }

    private static string? Compose(IntentSpec spec, ComputationKind kind, List<(IntentEvent Event, IReadOnlyList<Site> Sites)> chosen, ProbeCatalog catalog)
    {
        var declarations = new StringBuilder();
        var handlers = new StringBuilder();
        var needsComm = false;
        var needsSlot = false;
        var fields = new List<(string Name, string Declaration)>();
        var handlerNumber = 0;
        foreach (var (intentEvent, sites) in chosen)
        {
            var noun = ProgramComposer.Noun(intentEvent.Name);
            string? map = null;
            foreach (var site in sites)
            {
                var lowering = new CExpressionLowering(site.Format, catalog.Btf);
                var contextType = CContextStruct.For(site.Format!, catalog.Btf);
                if (contextType is null)
                {
                    return null;
                }

                var value = needsValueOf(kind) ? (spec.Value ?? OfflineIntentReader.SizeOf(spec.Request)) is { } asked ? site.Resolve(asked.Role, asked.Qualifier) : site.Resolve(IntentRoles.Size, null) : null;
                if (needsValueOf(kind) && value is null)
                {
                    return null;
                }

                if (ProgramComposer.Predicate(site, spec, value?.Expression) is not { } predicate)
                {
                    return null;
                }

                var condition = predicate.Length == 0 ? null : lowering.Value(predicate);
                if (predicate.Length > 0 && condition is null)
                {
                    return null;
                }

                var body = kind == ComputationKind.Print
                    ? PrintBody(ProgramComposer.PrintTerms(site, spec), lowering, fields)
                    : AggregateBody(spec, kind, site, lowering, value?.Expression, noun, declarations, ref map, ref needsSlot);
                if (body is null)
                {
                    return null;
                }

                needsComm |= lowering.NeedsComm;
                var parts = site.AttachPoint.Split(':');
                handlers.Append("SEC(\"tp/").Append(parts[1]).Append('/').Append(parts[2]).AppendLine("\")")
                    .Append("int handle_").Append(noun).Append('_').Append(++handlerNumber).Append("(struct ").Append(contextType).AppendLine(" *ctx)")
                    .AppendLine("{");
                if (lowering.NeedsComm)
                {
                    handlers.AppendLine("    char comm[16] = {};").AppendLine("    bpf_get_current_comm(&comm, sizeof(comm));");
                }

                if (condition is not null)
                {
                    handlers.Append("    if (!(").Append(condition).AppendLine("))").AppendLine("        return 0;");
                }

                handlers.Append(body).AppendLine("    return 0;").AppendLine("}").AppendLine();
            }
        }

        var text = new StringBuilder();
        text.AppendLine($"// Composed by Kgent's offline model from the request's intent specification: {spec.Request.ReplaceLineEndings(" ")}");
        text.AppendLine("#include \"vmlinux.h\"").AppendLine("#include <bpf/bpf_helpers.h>");
        if (handlers.ToString().Contains("bpf_ntohs", StringComparison.Ordinal))
        {
            text.AppendLine("#include <bpf/bpf_endian.h>");
        }

        text.AppendLine();
        if (needsComm)
        {
            text.AppendLine("""
                static __always_inline bool same_string(const char *actual, const char *wanted, int length)
                {
                    for (int i = 0; i < 16 && i < length; i++) {
                        if (actual[i] != wanted[i])
                            return false;
                    }
                    return true;
                }

                """);
        }

        if (needsSlot)
        {
            text.AppendLine("""
                // Slot 0 holds 0, slot k the values 2^(k-1) .. 2^k - 1: Kgent reads an array named *hist* as this histogram.
                static __always_inline u32 log2_slot(u64 value)
                {
                    u32 slot = 0;
                    for (int i = 0; i < 63 && value; i++) {
                        value >>= 1;
                        slot++;
                    }
                    return slot;
                }

                """);
        }

        if (kind == ComputationKind.Print)
        {
            text.AppendLine("struct event {");
            foreach (var (_, declaration) in fields)
            {
                text.Append("    ").Append(declaration).AppendLine(";");
            }

            text.AppendLine("};").AppendLine()
                .AppendLine("// Puts struct event into the object's BTF, so Kgent can decode the records.")
                .AppendLine("struct event *unused_event __attribute__((unused));").AppendLine()
                .AppendLine("struct {").AppendLine("    __uint(type, BPF_MAP_TYPE_RINGBUF);").AppendLine("    __uint(max_entries, 1 << 20);").AppendLine("} events SEC(\".maps\");").AppendLine();
        }

        text.Append(declarations).Append(handlers).AppendLine("char LICENSE[] SEC(\"license\") = \"GPL\";");
        return text.ToString();

        static bool needsValueOf(ComputationKind kind) => kind is ComputationKind.Sum or ComputationKind.Histogram;
    }

    /// <summary>Reserve a record, fill each term's member (declared once for every hook), submit it. An old and a new
    /// value ("state changes") are one member written <c>OLD -> NEW</c>, as the bpftrace composer prints them.</summary>
    private static string? PrintBody(List<Term> printed, CExpressionLowering lowering, List<(string Name, string Declaration)> fields)
    {
        var body = new StringBuilder("    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);\n    if (!e)\n        return 0;\n");
        var old = printed.FirstOrDefault(t => t.Qualifier == "old" && !lowering.IsText(t.Expression));
        var @new = printed.FirstOrDefault(t => t.Qualifier == "new" && !lowering.IsText(t.Expression));
        var terms = printed.Select(t => t.Expression).ToList();
        if (old is not null && @new is not null && lowering.Value(old.Expression) is { } before && lowering.Value(@new.Expression) is { } after)
        {
            Declare(fields, "change", "char change[48]");
            body.AppendLine($"    BPF_SNPRINTF(e->change, sizeof(e->change), \"%d -> %d\", {before}, {after});");
            terms.Remove(old.Expression);
            terms.Remove(@new.Expression);
        }

        foreach (var term in terms)
        {
            var name = MemberName(term, fields.Count);
            if (lowering.IsText(term))
            {
                var size = term == "comm" ? 16 : TextBytes;
                if (lowering.FillText(term, $"e->{name}", size) is not { } fill)
                {
                    return null;
                }

                Declare(fields, name, $"char {name}[{size}]");
                body.Append("    ").AppendLine(fill);
            }
            else if (lowering.Address(term) is { } address)
            {
                Declare(fields, name, $"u8 {name}[{address.Length}]");
                body.AppendLine($"    bpf_probe_read_kernel(&e->{name}, sizeof(e->{name}), ctx->{address.Field});");
            }
            else if (lowering.Value(term) is { } value)
            {
                Declare(fields, name, $"long {name}");
                body.AppendLine($"    e->{name} = {value};");
            }
            else
            {
                return null;
            }
        }

        return body.Append("    bpf_ringbuf_submit(e, 0);\n").ToString();
    }

    /// <summary>Count, sum or histogram into the event's map (declared with the first hook), keyed as the request asks.</summary>
    private static string? AggregateBody(IntentSpec spec, ComputationKind kind, Site site, CExpressionLowering lowering, string? valueTerm, string noun,
        StringBuilder declarations, ref string? map, ref bool needsSlot)
    {
        var value = valueTerm is null ? "1" : lowering.Value(valueTerm);
        if (value is null || ProgramComposer.KeyTerms(site, ProgramComposer.KeysOf(spec)) is not { } keys)
        {
            return null;
        }

        if (kind == ComputationKind.Histogram)
        {
            if (keys.Count > 0)
            {
                return null; // a histogram per key is not one of Kgent's C conventions yet
            }

            needsSlot = true;
            if (map is null)
            {
                map = noun + "_hist";
                declarations.AppendLine($"struct {{\n    __uint(type, BPF_MAP_TYPE_ARRAY);\n    __uint(max_entries, 64);\n    __type(key, u32);\n    __type(value, u64);\n}} {map} SEC(\".maps\");\n");
            }

            return $"    u32 slot = log2_slot({value});\n    u64 *count = bpf_map_lookup_elem(&{map}, &slot);\n    if (count)\n        __sync_fetch_and_add(count, 1);\n";
        }

        var body = new StringBuilder();
        var members = new List<string>();
        // The key's struct is named for the request's event, with "_count_key": plain "NOUN_key" can be a kernel type
        // vmlinux.h already declares (union futex_key).
        body.AppendLine($"    struct {noun}_count_key key = {{}};");
        foreach (var (term, index) in keys.Select((t, i) => (t, i)))
        {
            var name = MemberName(term, index);
            if (lowering.IsText(term))
            {
                if (lowering.FillText(term, $"key.{name}", 16) is not { } fill)
                {
                    return null;
                }

                members.Add($"char {name}[{(term == "comm" ? 16 : TextBytes)}]");
                body.Append("    ").AppendLine(fill);
            }
            else if (lowering.Value(term) is { } keyValue)
            {
                members.Add($"long {name}");
                body.AppendLine($"    key.{name} = {keyValue};");
            }
            else
            {
                return null;
            }
        }

        if (members.Count == 0)
        {
            members.Add("u32 all");
        }

        if (map is null)
        {
            map = noun + (kind == ComputationKind.Sum ? "_total" : string.Empty);
            declarations.AppendLine($"struct {noun}_count_key {{\n{string.Concat(members.Select(m => $"    {m};\n"))}}};\n");
            declarations.AppendLine($"struct {{\n    __uint(type, BPF_MAP_TYPE_HASH);\n    __uint(max_entries, 10240);\n    __type(key, struct {noun}_count_key);\n    __type(value, u64);\n}} {map} SEC(\".maps\");\n");
        }

        body.AppendLine($"    u64 amount = {value}, *total = bpf_map_lookup_elem(&{map}, &key);");
        body.AppendLine("    if (total)\n        __sync_fetch_and_add(total, amount);\n    else");
        body.AppendLine($"        bpf_map_update_elem(&{map}, &key, &amount, BPF_NOEXIST);");
        return body.ToString();
    }

    private static void Declare(List<(string Name, string Declaration)> fields, string name, string declaration)
    {
        if (!fields.Exists(f => f.Name == name))
        {
            fields.Add((name, declaration));
        }
    }

    /// <summary>A member name for a term: <c>comm</c>, <c>filename</c> for <c>str(args->filename)</c>, <c>pid</c>, else <c>valueN</c>.</summary>
    private static string MemberName(string term, int index)
    {
        var inner = term;
        foreach (var wrapper in new[] { "str(", "ntop(" })
        {
            if (inner.StartsWith(wrapper, StringComparison.Ordinal) && inner.EndsWith(')'))
            {
                inner = inner[wrapper.Length..^1];
            }
        }

        inner = inner.StartsWith("args->", StringComparison.Ordinal) ? inner["args->".Length..] : inner;
        return inner.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && inner.Length > 0 && char.IsAsciiLetter(inner[0]) ? inner : $"value{index}";
    }
}
