using Kgent.Cli;
using Kgent.Cli.Output;

return KgentCli.Invoke(args, Console.Out, Console.Error, ConsoleStyle.ForConsole());
