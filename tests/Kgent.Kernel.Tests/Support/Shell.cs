using System.Diagnostics;

namespace Kgent.Kernel.Tests.Support;

/// <summary>Runs a shell command for a test's setup or inspection (mknod, chmod, stat) and returns what it printed.</summary>
public static class Shell
{
    public static string Run(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
