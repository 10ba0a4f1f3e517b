using System.CommandLine;
using Kgent.Cli.Commands;
using Kgent.Cli.Output;

namespace Kgent.Cli;

/// <summary>The <c>kgent</c> command tree. <see cref="Invoke"/> takes its writers so tests run it in-process.</summary>
public static class KgentCli
{
    public static int Invoke(string[] args, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var root = Build(output, error, style);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        try
        {
            return root.Parse(args).Invoke(configuration);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error.WriteLine($"kgent: internal error: {ex.Message}");
            error.WriteLine("kgent: this is a bug in Kgent; please report it with the command you ran");
            return 70;
        }
    }

    private static RootCommand Build(TextWriter output, TextWriter error, ConsoleStyle style)
    {
        var json = new Option<bool>("--json") { Description = "Write machine-readable JSON instead of text" };

        var parseFiles = new Argument<string[]>("files")
        {
            Description = "bpftrace programs to parse ('-' reads standard input)",
            Arity = ArgumentArity.OneOrMore,
        };
        var ast = new Option<bool>("--ast") { Description = "Also print each syntax tree as an S-expression" };
        var parse = new Command("parse", "Parse bpftrace programs and report every syntax error") { parseFiles, json, ast };
        parse.SetAction(result => ParseCommand.Run(result.GetValue(parseFiles) ?? [], result.GetValue(json), result.GetValue(ast), output, error, style));

        var formatFile = new Argument<string>("file") { Description = "The bpftrace program to format ('-' reads standard input)" };
        var write = new Option<bool>("--write", "-w") { Description = "Rewrite the file in place instead of printing" };
        var format = new Command("fmt", "Print a bpftrace program in canonical form") { formatFile, json, write };
        format.SetAction(result => FormatCommand.Run(result.GetValue(formatFile) ?? "-", result.GetValue(json), result.GetValue(write), output, error, style));

        var demo = new Command("demo", "Parse, print and check a bundled example (the main job, as far as it is built)");
        demo.SetAction(_ => DemoCommand.Run(output, style));

        return new RootCommand("Kgent: plain-English requests to verified eBPF programs")
        {
            parse,
            format,
            demo,
        };
    }
}
