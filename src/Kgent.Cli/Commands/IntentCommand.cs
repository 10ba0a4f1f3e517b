using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
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

        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Catalog: catalogPath), error, style);
        return CliWorkbench.Run(error, () => Write(OfflineIntentReader.Read(request.Trim(), workbench.Catalog), json, output, style));
    }

    private static int Write(IntentSpec spec, bool json, TextWriter output, ConsoleStyle style)
    {
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
