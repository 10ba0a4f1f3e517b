using Kgent.Cli;
using Kgent.Cli.Output;

namespace Kgent.Kernel.Tests.Support;

/// <summary>Runs the kgent command tree in-process with plain (uncoloured) output.</summary>
public static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = KgentCli.Invoke(args, output, error, ConsoleStyle.Plain);
        return (code, output.ToString(), error.ToString());
    }
}
