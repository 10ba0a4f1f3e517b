using Kgent.Kernel.Processes;
using System.Text;

namespace Kgent.Kernel.Runner;

/// <summary>A shell command run while tracing, as an <see cref="OwnedProcess"/>: it, its process group and every
/// descendant are killed when the run ends or Kgent dies.</summary>
internal sealed class Workload : IDisposable
{
    private const int OutputLimit = 64 * 1024;
    private readonly StringBuilder output = new();
    private readonly string command;
    private OwnedProcess process = null!;

    private Workload(string command)
    {
        this.command = command;
    }

    public static Workload? Start(string command, out string? problem)
    {
        var workload = new Workload(command);
        try
        {
            workload.process = OwnedProcess.Start(new ChildCommand("workload", "/bin/sh", ["-c", command]), workload.Append, workload.Append);
            problem = null;
            return workload;
        }
        catch (ChildStartException e)
        {
            problem = $"could not start the workload: {e.Message}";
            return null;
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>The shell's pid.</summary>
    public int ProcessId => process.Pid;

    /// <summary>Waits for the workload; kills it with its process group and descendants when the time is up.</summary>
    public WorkloadResult Finish(TimeSpan timeout)
    {
        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            process.Kill();
        }

        process.WaitForExit(TimeSpan.FromSeconds(2));
        lock (output)
        {
            return new WorkloadResult(command, timedOut ? null : process.ExitCode, timedOut, output.ToString(), process.Pid);
        }
    }

    public void Dispose() => process.Dispose();

    private void Append(string line)
    {
        lock (output)
        {
            if (output.Length < OutputLimit)
            {
                output.AppendLine(line);
            }
        }
    }
}
