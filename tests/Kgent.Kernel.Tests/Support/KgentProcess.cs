using System.Diagnostics;
using System.Text;

namespace Kgent.Kernel.Tests.Support;

/// <summary>The kgent command line as a real child process (dotnet kgent.dll …), for what in-process runs cannot show:
/// signals, exit codes, environments and the processes it leaves behind.</summary>
public sealed class KgentProcess : IDisposable
{
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    private KgentProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public int Pid => Process.Id;

    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "kgent.dll");

    public string Stdout
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public static KgentProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start)!;
        var wrapper = new KgentProcess(process);
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Append(wrapper.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(wrapper.stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs a command to its end (killed after <paramref name="timeout"/>, which fails the caller's assertions).</summary>
    public static (int Code, string Out, string Err) Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        using var process = Start(arguments, environment);
        var code = process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)) ? process.Process.ExitCode : -1;
        return (code, process.Stdout, process.Stderr);
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
        {
            return false;
        }

        Process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
