namespace Kgent.Cli.Commands;

/// <summary>Ctrl-C as a cancellation: while it is in scope, the first Ctrl-C cancels <see cref="Token"/> (the work stops
/// at its next check and the command says what was kept); a second one ends the process the usual way.</summary>
public sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource source = new();

    public Interrupt()
    {
        Console.CancelKeyPress += OnCancel;
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        e.Cancel = true;
        source.Cancel();
    }
}
