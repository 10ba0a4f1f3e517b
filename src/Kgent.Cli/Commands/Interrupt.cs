using System.Runtime.InteropServices;

namespace Kgent.Cli.Commands;

/// <summary>SIGINT (Ctrl-C) and SIGTERM as a cancellation: while it is in scope, the first of them cancels
/// <see cref="Token"/> (the work stops at its next check, children are stopped, and the command says what was kept); a
/// second one ends the process the usual way (the process guard still kills every child). <see cref="ExitCode"/> is the
/// shell's code for the signal that came: 130 for SIGINT, 143 for SIGTERM.</summary>
public sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration? interrupt;
    private readonly PosixSignalRegistration? terminate;
    private int signal;

    public Interrupt()
    {
        if (!OperatingSystem.IsWindows())
        {
            interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }
        else
        {
            Console.CancelKeyPress += OnCancel;
        }
    }

    public CancellationToken Token => source.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM.</summary>
    public int ExitCode => signal == 15 ? 143 : 130;

    /// <summary>"interrupted" or "terminated", for the message the command prints.</summary>
    public string What => signal == 15 ? "terminated (SIGTERM)" : "interrupted";

    public void Dispose()
    {
        interrupt?.Dispose();
        terminate?.Dispose();
        if (OperatingSystem.IsWindows())
        {
            Console.CancelKeyPress -= OnCancel;
        }

        source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (source.IsCancellationRequested)
        {
            return; // the second signal takes its default action
        }

        signal = context.Signal == PosixSignal.SIGTERM ? 15 : 2;
        context.Cancel = true;
        source.Cancel();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        signal = 2;
        e.Cancel = true;
        source.Cancel();
    }
}
