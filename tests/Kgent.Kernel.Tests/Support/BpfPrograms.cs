using System.Diagnostics;
using System.Text.Json;

namespace Kgent.Kernel.Tests.Support;

/// <summary>The BPF programs loaded in the kernel right now, from <c>bpftool prog list -j</c>.</summary>
public static class BpfPrograms
{
    public static string? Bpftool { get; } = new[] { "/usr/sbin/bpftool", "/usr/bin/bpftool" }.FirstOrDefault(File.Exists);

    /// <summary>Names of the loaded programs (the kernel cuts them to 15 characters).</summary>
    public static IReadOnlyList<string> Names()
    {
        using var process = Process.Start(new ProcessStartInfo(Bpftool!, ["prog", "list", "-j"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        using var json = JsonDocument.Parse(output.Length == 0 ? "[]" : output);
        return [.. json.RootElement.EnumerateArray().Select(p => p.TryGetProperty("name", out var name) ? name.GetString() ?? string.Empty : string.Empty)];
    }

    /// <summary>True while the kernel still has the program with this id (<c>bpftool prog show id N</c> succeeds).</summary>
    public static bool IsLoaded(int id)
    {
        using var process = Process.Start(new ProcessStartInfo(Bpftool!, ["prog", "show", "id", id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
