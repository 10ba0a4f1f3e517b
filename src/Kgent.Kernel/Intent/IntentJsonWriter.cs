using System.Text;
using System.Text.Json;

namespace Kgent.Kernel.Intent;

/// <summary>Writes a specification as <see cref="IntentJson.Read"/> reads it: members in the records' order, camel-case
/// names, kebab-case enum values, nulls left out, two-space indents. Written member by member rather than by the
/// serializer, whose reflection-built metadata cost ~120 ms on the first specification a process wrote (a tenth of a
/// whole offline synthesis), and whose generated metadata still paid for enum converters made at run time.</summary>
internal static class IntentJsonWriter
{
    public static string Write(IntentSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("request", spec.Request);
            Array(json, "events", spec.Events, e =>
            {
                json.WriteString("name", e.Name);
                json.WriteString("words", e.Words);
                Array(json, "hooks", e.Hooks, h =>
                {
                    json.WriteString("attachPoint", h.AttachPoint);
                    Optional(json, "condition", h.Condition);
                    json.WriteBoolean("required", h.Required);
                });
                json.WriteString("role", IntentNames.Of(e.Role));
            });
            if (spec.Computation is { } c)
            {
                json.WriteStartObject("computation");
                json.WriteString("kind", IntentNames.Of(c.Kind));
                json.WriteString("words", c.Words);
                Optional(json, "shape", c.Shape is { } shape ? IntentNames.Of(shape) : null);
                Optional(json, "across", c.Across);
                Optional(json, "low", c.Low);
                Optional(json, "high", c.High);
                Optional(json, "top", c.Top);
                json.WriteEndObject();
            }

            Array(json, "keys", spec.Keys, k => Role(json, k.Role, k.Words, k.Qualifier));
            Array(json, "filters", spec.Filters, f =>
            {
                json.WriteString("kind", IntentNames.Of(f.Kind));
                json.WriteString("words", f.Words);
                Optional(json, "value", f.Value);
            });
            Array(json, "fields", spec.Fields, f => Role(json, f.Role, f.Words, f.Qualifier));
            if (spec.Value is { } value)
            {
                json.WriteStartObject("value");
                Role(json, value.Role, value.Words, value.Qualifier);
                json.WriteEndObject();
            }

            if (spec.Unit is { } unit)
            {
                json.WriteStartObject("unit");
                json.WriteString("unit", unit.Unit);
                json.WriteString("words", unit.Words);
                json.WriteEndObject();
            }

            if (spec.Period is { } period)
            {
                json.WriteStartObject("period");
                json.WriteNumber("seconds", period.Seconds);
                json.WriteString("words", period.Words);
                json.WriteEndObject();
            }

            json.WriteStartArray("notUnderstood");
            foreach (var item in spec.NotUnderstood)
            {
                json.WriteStringValue(item);
            }

            json.WriteEndArray();
            json.WriteString("producer", spec.Producer);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Array<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<T> write)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStartObject();
            write(item);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Role(Utf8JsonWriter json, string role, string words, string? qualifier)
    {
        json.WriteString("role", role);
        json.WriteString("words", words);
        Optional(json, "qualifier", qualifier);
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void Optional(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }
}
