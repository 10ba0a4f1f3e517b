using System.Diagnostics;
using System.IO.Compression;

namespace Kgent.Kernel.Tests.Support;

/// <summary>What executing the notebooks needs (Jupyter, the .NET Interactive kernel, the kernel spec and the local feed
/// that scripts/setup.sh creates, Chromium for screenshots), and a way to run a command with a hard timeout.</summary>
public static class NotebookHost
{
    public static string Root => Corpus.RepositoryRoot;

    public static string NotebooksDirectory => Path.Combine(Root, "notebooks");

    public static string ChromiumPath => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists) ?? "chromium";

    public static string? MissingReason
    {
        get
        {
            if (Host.MissingBpftraceReason is { } bpftrace)
            {
                return bpftrace;
            }

            var missing = new List<string>();
            if (!File.Exists("/usr/bin/jupyter-nbconvert") && !File.Exists("/usr/local/bin/jupyter-nbconvert"))
            {
                missing.Add("jupyter nbconvert");
            }

            if (!File.Exists(Path.Combine(Root, ".kgent", "tools", "dotnet-interactive")))
            {
                missing.Add("the .NET Interactive kernel (.kgent/tools)");
            }

            if (!File.Exists(Path.Combine(Root, ".kgent", "feed", "Kgent.Extension.0.1.0.nupkg")))
            {
                missing.Add("the local feed (.kgent/feed)");
            }

            return missing.Count == 0 ? null : $"{string.Join(", ", missing)} not installed: scripts/setup.sh installs them";
        }
    }

    public static string? MissingChromiumReason =>
        MissingReason ?? (File.Exists(ChromiumPath) ? null : "chromium is not installed (scripts/setup.sh installs it with apt)");

    /// <summary>Null when the feed holds the extension this test run was built with; otherwise why not. A stale feed would
    /// make the notebooks test an older build than the one under test.</summary>
    public static string? StaleFeedReason()
    {
        foreach (var name in new[] { "Kgent.Notebook", "Kgent.Extension" })
        {
            var built = Path.Combine(AppContext.BaseDirectory, $"{name}.dll");
            var feed = Path.Combine(Root, ".kgent", "feed", $"{name}.0.1.0.nupkg");
            if (!File.Exists(feed))
            {
                return $"the local feed (.kgent/feed) has no {name} package: run scripts/setup.sh, which packs it";
            }

            using var package = ZipFile.OpenRead(feed);
            var packed = package.GetEntry($"lib/net10.0/{name}.dll");
            if (packed is null || !File.Exists(built))
            {
                return $"the feed's package has no lib/net10.0/{name}.dll";
            }

            using var stream = packed.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (!copy.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(built)))
            {
                return $"the local feed (.kgent/feed) holds a different build of {name} than this test run: run scripts/setup.sh, which repacks it";
            }
        }

        return null;
    }

    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"{file} did not finish within {timeout.TotalSeconds:F0} s\n{stderr.Result}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
