using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kgent.Kernel.Intent;

/// <summary>The specification as JSON — what <c>kgent intent --json</c> prints, what the comprehension prompt asks a model
/// for, and what a user edits — and its validation: every problem (an unknown computation, a role that does not exist,
/// a hook the catalog lacks, a field of the wrong type) is reported with its JSON path, so a model's reply can be fed
/// back with what to fix.</summary>
public static class IntentJson
{
    public static string Write(IntentSpec spec) => IntentJsonWriter.Write(spec);

    /// <summary>The schema as the comprehension prompt shows it: field names, their types and the allowed values.</summary>
    public static string Schema { get; } = $$"""
        {
          "events": [ { "name": "text", "words": "request words", "role": "main|start|end",
                        "hooks": [ { "attachPoint": "tracepoint:CATEGORY:EVENT or kprobe:FUNCTION", "condition": "bpftrace condition selecting the event, or null",
                                   "required": "true when a program observing the event at this level must attach here too (unlink and unlinkat)" } ] } ],
          "computation": { "kind": "print|count|sum|histogram|linear-histogram|average|minimum|maximum|stats|latency", "words": "…",
                           "shape": "for a latency: how it is shown (print|histogram|…)", "across": "for a latency: same", "low": 0, "high": 10, "top": 10 } or null,
          "keys": [ { "role": "{{string.Join('|', IntentRoles.All)}}", "words": "…", "qualifier": "woken|parent|child|target|destination|local|old|new|next or null" } ],
          "filters": [ { "kind": "failure|success|process-name|pid|for-writing|port|larger-than|family", "words": "…", "value": "text or null" } ],
          "fields": [ { "role": "(as for keys)", "words": "…", "qualifier": "(as for keys)" } ],
          "value": { "role": "size|order|duration|…", "words": "…", "qualifier": "requested|allocated|returned|derived (computed from sizes, e.g. bytes wasted) or null" } or null,
          "unit": { "unit": "ns|us|ms|s|bytes", "words": "…" } or null,
          "period": { "seconds": 5, "words": "…" } or null
        }
        """;

    /// <summary>Reads a specification from JSON (a model's reply, a user's edit); null with every problem when it is not one.
    /// Hooks the catalog does not have are problems too, when a catalog is given. A null <paramref name="request"/> takes
    /// the JSON's own <c>request</c> member (an edited specification keeps the request it was made from).</summary>
    public static IntentSpec? Read(string json, string? request, string producer, KernelInfo.Catalog.ProbeCatalog? catalog, out ImmutableArray<string> problems)
    {
        var found = new List<string>();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            problems = [$"not JSON: {e.Message}"];
            return null;
        }

        if (root is not JsonObject spec)
        {
            problems = ["the specification must be a JSON object with events, computation, keys, filters, fields, value, unit and period"];
            return null;
        }

        foreach (var name in spec.Select(p => p.Key).Where(k => k is not ("request" or "events" or "computation" or "keys" or "filters" or "fields" or "value" or "unit" or "period" or "notUnderstood" or "producer")))
        {
            found.Add($"$.{name}: unknown member (known: events, computation, keys, filters, fields, value, unit, period)");
        }

        var events = Array(spec, "events", found).Select((e, i) => Event(e, $"$.events[{i}]", catalog, found)).OfType<IntentEvent>().ToImmutableArray();
        var computation = spec["computation"] is JsonObject c ? Computation(c, found) : spec["computation"] is null ? null : Wrong<IntentComputation>("$.computation", "an object or null", found);
        var keys = Array(spec, "keys", found).Select((k, i) => Role(k, $"$.keys[{i}]", found)).OfType<(string, string, string?)>()
            .Select(k => new IntentKey(k.Item1, k.Item2, k.Item3)).ToImmutableArray();
        var filters = Array(spec, "filters", found).Select((f, i) => Filter(f, $"$.filters[{i}]", found)).OfType<IntentFilter>().ToImmutableArray();
        var fields = Array(spec, "fields", found).Select((f, i) => Role(f, $"$.fields[{i}]", found)).OfType<(string, string, string?)>()
            .Select(f => new IntentField(f.Item1, f.Item2, f.Item3)).ToImmutableArray();
        IntentValue? value = null;
        if (spec["value"] is JsonObject v && Role(v, "$.value", found) is { } role)
        {
            value = new IntentValue(role.Role, role.Words, role.Qualifier);
        }

        IntentUnit? unit = null;
        if (spec["unit"] is JsonObject u)
        {
            var unitName = Text(u, "unit", "$.unit", found, required: true);
            if (unitName is not null && unitName is not ("ns" or "us" or "ms" or "s" or "bytes"))
            {
                found.Add($"$.unit.unit: '{unitName}' is not one of ns, us, ms, s, bytes");
            }
            else if (unitName is not null)
            {
                unit = new IntentUnit(unitName, Text(u, "words", "$.unit", found) ?? string.Empty);
            }
        }

        IntentPeriod? period = null;
        if (spec["period"] is JsonObject p)
        {
            if (p["seconds"] is JsonValue s && s.TryGetValue<int>(out var seconds) && seconds is > 0 and <= 86_400)
            {
                period = new IntentPeriod(seconds, Text(p, "words", "$.period", found) ?? string.Empty);
            }
            else
            {
                found.Add("$.period.seconds: a whole number of seconds from 1 to 86400");
            }
        }

        if (request is null && spec["request"] is not null && (spec["request"] is not JsonValue r || !r.TryGetValue<string>(out _)))
        {
            found.Add("$.request: the request, as text");
        }

        request ??= spec["request"] is JsonValue text && text.TryGetValue<string>(out var own) ? own : string.Empty;
        var notUnderstood = spec["notUnderstood"] is JsonArray notes
            ? [.. notes.OfType<JsonValue>().Select(n => n.TryGetValue<string>(out var note) ? note : null).OfType<string>()]
            : ImmutableArray<string>.Empty;
        problems = [.. found];
        return found.Count > 0 ? null : new IntentSpec(request, events, computation, keys, filters, fields, value, unit, period, notUnderstood, producer);
    }

    private static IEnumerable<JsonNode?> Array(JsonObject spec, string name, List<string> problems)
    {
        if (spec[name] is null)
        {
            return [];
        }

        if (spec[name] is JsonArray array)
        {
            return array;
        }

        problems.Add($"$.{name}: an array");
        return [];
    }

    private static IntentEvent? Event(JsonNode? node, string path, KernelInfo.Catalog.ProbeCatalog? catalog, List<string> problems)
    {
        if (node is not JsonObject e)
        {
            problems.Add($"{path}: an object");
            return null;
        }

        var name = Text(e, "name", path, problems, required: true);
        var role = EventRole.Main;
        if (Text(e, "role", path, problems) is { } roleText && !Enum.TryParse(roleText, ignoreCase: true, out role))
        {
            problems.Add($"{path}.role: '{roleText}' is not main, start or end");
        }

        var hooks = new List<IntentHook>();
        foreach (var (hook, i) in (e["hooks"] as JsonArray ?? []).Select((h, i) => (h, i)))
        {
            var at = $"{path}.hooks[{i}]";
            var attachPoint = hook switch
            {
                JsonObject o => Text(o, "attachPoint", at, problems, required: true),
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => Wrong<string>(at, "an object with attachPoint and condition", problems),
            };
            if (attachPoint is null)
            {
                continue;
            }

            if (catalog is not null && attachPoint.Split(':') is ["tracepoint", var category, var @event] && catalog.FindTracepoint(category, @event) is null)
            {
                problems.Add($"{at}.attachPoint: {attachPoint} does not exist on this kernel");
                continue;
            }

            // Kgent's own vocabulary knows which calls an event happens through so often that they are required (a model
            // may not say); an explicit "required" adds to it.
            var required = IntentVocabulary.IsRequired(attachPoint)
                || (hook is JsonObject { } withRequired && withRequired["required"] is JsonValue r && r.TryGetValue<bool>(out var flag) && flag);
            hooks.Add(new IntentHook(attachPoint, hook is JsonObject ho ? Text(ho, "condition", at, problems) : null, required));
        }

        if (hooks.Count == 0 && e["hooks"] is not null)
        {
            problems.Add($"{path}.hooks: at least one hook of this kernel");
        }

        return name is null ? null : new IntentEvent(name, Text(e, "words", path, problems) ?? string.Empty, [.. hooks], role);
    }

    private static IntentComputation? Computation(JsonObject c, List<string> problems)
    {
        var kindText = Text(c, "kind", "$.computation", problems, required: true);
        if (kindText is null)
        {
            return null;
        }

        if (!TryKind(kindText, out var kind))
        {
            problems.Add($"$.computation.kind: '{kindText}' is not one of print, count, sum, histogram, linear-histogram, average, minimum, maximum, stats, latency");
            return null;
        }

        ComputationKind? shape = null;
        if (Text(c, "shape", "$.computation", problems) is { } shapeText)
        {
            if (TryKind(shapeText, out var parsed))
            {
                shape = parsed;
            }
            else
            {
                problems.Add($"$.computation.shape: '{shapeText}' is not a computation");
            }
        }

        // A latency without a shape may be printed or aggregated, as the offline reader leaves it (the request asked neither).
        return new IntentComputation(kind, Text(c, "words", "$.computation", problems) ?? string.Empty, shape,
            Text(c, "across", "$.computation", problems) ?? (kind == ComputationKind.Latency ? "same" : null),
            Number(c, "low"), Number(c, "high"), (int?)Number(c, "top"));
    }

    private static bool TryKind(string text, out ComputationKind kind) =>
        Enum.TryParse(text.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out kind);

    private static (string Role, string Words, string? Qualifier)? Role(JsonNode? node, string path, List<string> problems)
    {
        if (node is not JsonObject o)
        {
            problems.Add($"{path}: an object with role, words and qualifier");
            return null;
        }

        var role = Text(o, "role", path, problems, required: true);
        if (role is not null && !IntentRoles.All.Contains(role, StringComparer.Ordinal))
        {
            var closest = Bpftrace.Diagnostics.Suggestions.Closest(role, IntentRoles.All);
            problems.Add($"{path}.role: '{role}' is not a role" + (closest is null ? string.Empty : $"; did you mean '{closest}'?"));
            return null;
        }

        return role is null ? null : (role, Text(o, "words", path, problems) ?? string.Empty, Text(o, "qualifier", path, problems));
    }

    private static IntentFilter? Filter(JsonNode? node, string path, List<string> problems)
    {
        if (node is not JsonObject o)
        {
            problems.Add($"{path}: an object with kind, words and value");
            return null;
        }

        var kindText = Text(o, "kind", path, problems, required: true);
        if (kindText is null)
        {
            return null;
        }

        if (!Enum.TryParse<FilterKind>(kindText.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var kind))
        {
            problems.Add($"{path}.kind: '{kindText}' is not one of failure, success, process-name, pid, for-writing, port, larger-than");
            return null;
        }

        var value = o["value"] is JsonValue v ? v.ToString() : null;
        if (kind is FilterKind.ProcessName or FilterKind.Pid or FilterKind.Port or FilterKind.LargerThan or FilterKind.Family && string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{path}.value: a {kindText} filter needs its value");
            return null;
        }

        return new IntentFilter(kind, Text(o, "words", path, problems) ?? string.Empty, value);
    }

    private static string? Text(JsonObject o, string name, string path, List<string> problems, bool required = false)
    {
        switch (o[name])
        {
            case null when required:
                problems.Add($"{path}.{name}: required");
                return null;
            case null:
                return null;
            case JsonValue v when v.TryGetValue<string>(out var s):
                return s;
            default:
                problems.Add($"{path}.{name}: a string");
                return null;
        }
    }

    private static long? Number(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    private static T? Wrong<T>(string path, string what, List<string> problems)
        where T : class
    {
        problems.Add($"{path}: {what}");
        return null;
    }
}
