namespace Kgent.Kernel.Processes;

/// <summary>Finds <c>kgent-guard</c> (native/guard/kgent-guard.c, built by setup and copied next to Kgent's assemblies):
/// <c>KGENT_GUARD</c>, then beside this assembly, then the checkout's <c>.kgent/native</c>. A NuGet package loses the
/// executable bit, so it is set again when missing.</summary>
public static class GuardBinary
{
    private static readonly Lazy<(string? Path, string? Problem)> Found = new(Find);

    /// <summary>The guard's path, or null (with <see cref="Problem"/>) when Kgent runs its children unguarded.</summary>
    public static string? Path => Found.Value.Path;

    public static string? Problem => Found.Value.Problem;

    private static (string? Path, string? Problem) Find()
    {
        if (OperatingSystem.IsWindows())
        {
            return (null, "process guarding needs Linux");
        }

        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("KGENT_GUARD") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        var here = System.IO.Path.GetDirectoryName(typeof(GuardBinary).Assembly.Location);
        if (!string.IsNullOrEmpty(here))
        {
            candidates.Add(System.IO.Path.Combine(here, "kgent-guard"));
            for (var directory = new DirectoryInfo(here); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(directory.FullName, "Kgent.sln")))
                {
                    candidates.Add(System.IO.Path.Combine(directory.FullName, ".kgent", "native", "kgent-guard"));
                    break;
                }
            }
        }

        foreach (var candidate in candidates.Where(File.Exists))
        {
            try
            {
                var mode = File.GetUnixFileMode(candidate);
                if (!mode.HasFlag(UnixFileMode.UserExecute))
                {
                    File.SetUnixFileMode(candidate, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }

                return (candidate, null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"{candidate} is not executable and cannot be made so: {e.Message}");
            }
        }

        return (null, "kgent-guard is missing (run scripts/setup.sh, which builds native/guard)");
    }
}
