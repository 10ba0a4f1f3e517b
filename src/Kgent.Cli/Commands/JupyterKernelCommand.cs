using System.Runtime.InteropServices;
using Kgent.Cli.Output;
using Kgent.Jupyter;
using Kgent.Kernel.Composition;
using Kgent.Notebook;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent jupyter-kernel --connection-file F</c>: Kgent's native Jupyter kernel, as the kernel spec that
/// setup installs starts it (<c>jupyter</c> passes the connection file). SIGINT interrupts the running cell; SIGTERM
/// or a <c>shutdown_request</c> stops the kernel, and every child it started stops with it. Its log goes to standard
/// error, which Jupyter shows in its own log.</summary>
public static class JupyterKernelCommand
{
    public static int Run(string connectionFile, TextWriter error, ConsoleStyle style)
    {
        ConnectionInfo connection;
        try
        {
            connection = ConnectionInfo.Read(connectionFile);
        }
        catch (KernelStartException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }

        // The session is made on the first cell that needs it, so the kernel answers Jupyter at once.
        var session = new Lazy<KgentSession>(() => new KgentSession(CliWorkbench.Open(WorkbenchOptions.Default, error, style)));
        using var stop = new CancellationTokenSource();
        try
        {
            using var kernel = new JupyterKernel(connection, () => session.Value, error, () => session.IsValueCreated ? session.Value : null);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                kernel.Interrupt();
            });
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            kernel.Run(stop.Token);
        }
        catch (KernelStartException e)
        {
            error.WriteLine($"kgent: error: {e.Message}");
            return 2;
        }
        finally
        {
            if (session.IsValueCreated)
            {
                session.Value.Workbench.Dispose();
            }
        }

        return 0;
    }
}
