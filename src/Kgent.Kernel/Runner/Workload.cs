using System.Diagnostics;
using System.Text;
using Kgent.Kernel.KernelVerifier;

namespace Kgent.Kernel.Runner;

/// <summary>A shell command run while tracing, in its own session so it and its children can be killed together.</summary>
internal sealed class Workload : IDisposable
{
    private const int OutputLimit = 64 * 1024;
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string command;

    private Workload(Process process, string command)
    {
        this.process = process;
        this.command = command;
    }

    public static Workload? Start(string command, out string? problem)
    {
        var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
        var start = new ProcessStartInfo(setsid ?? "/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (setsid is not null)
        {
            start.ArgumentList.Add("/bin/sh");
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        try
        {
            var process = Process.Start(start)!;
            var workload = new Workload(process, command);
            process.StandardInput.Close();
            process.OutputDataReceived += (_, e) => workload.Append(e.Data);
            process.ErrorDataReceived += (_, e) => workload.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            problem = null;
            return workload;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            problem = $"could not start the workload: {e.Message}";
            return null;
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>Waits for the workload; kills its process group when the time is up.</summary>
    public WorkloadResult Finish(TimeSpan timeout)
    {
        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            PosixSignals.Send(-process.Id, PosixSignals.Kill);
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        lock (output)
        {
            return new WorkloadResult(command, timedOut ? null : process.ExitCode, timedOut, output.ToString(), process.Id);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            PosixSignals.Send(-process.Id, PosixSignals.Kill);
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < OutputLimit)
            {
                output.AppendLine(line);
            }
        }
    }
}
