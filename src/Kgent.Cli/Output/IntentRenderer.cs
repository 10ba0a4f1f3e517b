using Kgent.Kernel.Intent;

namespace Kgent.Cli.Output;

/// <summary>Prints an intent specification, one line per item, each with the request words it came from.</summary>
public static class IntentRenderer
{
    public static void Write(TextWriter output, IntentSpec spec, ConsoleStyle style)
    {
        output.WriteLine($"request: {spec.Request}" + style.Dim($"  ({spec.Producer})"));
        if (spec.IsEmpty)
        {
            output.WriteLine(style.Warning("nothing in this request that Kgent can check"));
        }

        foreach (var item in IntentSpecItems.Of(spec))
        {
            var text = item.Text.EndsWith("no hook on this kernel", StringComparison.Ordinal) ? item.Text[..^22] + style.Warning("no hook on this kernel") : item.Text;
            output.WriteLine($"{item.Label,-12} {text}" + (item.Words.Length == 0 ? string.Empty : " " + style.Dim($"(\"{item.Words}\")")));
        }

        foreach (var note in spec.NotUnderstood)
        {
            output.WriteLine(style.Dim($"{"not checked",-12} {note}"));
        }
    }
}
