using Kgent.Cli.Output;
using Kgent.Kernel.Intent;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent intent "REQUEST" [--catalog F] [--json]</c>: the intent specification the offline reader makes of a
/// request — what <c>kgent symbex --request</c> checks a program against. Exit 0, or 1 when nothing in the request can be checked.</summary>
public static class IntentCommand
{
    public static int Run(string request, string? catalogPath, bool json, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        if (string.IsNullOrWhiteSpace(request))
        {
            error.WriteLine("kgent: error: the request is empty: write what to trace, e.g. \"count file opens by process\"");
            return 2;
        }

        var catalog = CatalogSource.TryLoad(catalogPath, error);
        if (catalog is null)
        {
            return 2;
        }

        var spec = OfflineIntentReader.Read(request.Trim(), catalog);
        if (json)
        {
            output.WriteLine(IntentJson.Write(spec));
        }
        else
        {
            IntentRenderer.Write(output, spec, style);
        }

        return spec.IsEmpty ? 1 : 0;
    }
}
