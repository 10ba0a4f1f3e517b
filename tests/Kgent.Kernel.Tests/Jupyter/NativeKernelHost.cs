using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Jupyter;

/// <summary>What driving the native Jupyter kernel needs: Debian's Python with jupyter_client, root and bpftrace (the
/// cells check and load programs against this kernel). The kernel spec points at this test run's own build.</summary>
public static class NativeKernelHost
{
    public static string? MissingReason =>
        Host.MissingBpftraceReason
        ?? (NotebookHost.Run("/usr/bin/python3", ["-c", "import jupyter_client"], TimeSpan.FromSeconds(30)).ExitCode == 0
            ? null : "python3 with jupyter_client is not installed (scripts/setup.sh installs python3-nbclient with apt)");

    /// <summary>A JUPYTER_PATH folder holding a "kgent" kernel spec that starts this test run's kgent.dll.</summary>
    public static string WriteKernelSpec(string directory)
    {
        var spec = Path.Combine(directory, "kernels", "kgent");
        Directory.CreateDirectory(spec);
        File.WriteAllText(Path.Combine(spec, "kernel.json"), System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["argv"] = new[] { "dotnet", KgentProcess.CliPath, "jupyter-kernel", "--connection-file", "{connection_file}" },
            ["display_name"] = "Kgent (test build)",
            ["language"] = "kgent",
            ["interrupt_mode"] = "message",
        }));
        return directory;
    }
}

/// <summary>A fact that drives the native kernel; skipped, with the reason, only when Python's jupyter_client, root or
/// bpftrace is absent.</summary>
public sealed class NativeKernelFactAttribute : FactAttribute
{
    public NativeKernelFactAttribute()
    {
        Skip = NativeKernelHost.MissingReason;
    }
}
