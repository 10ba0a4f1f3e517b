using Microsoft.Z3;

namespace Kgent.Kernel.Symbolic;

/// <summary>Creates Z3 contexts and turns a missing or mismatched native library into one clear error.</summary>
internal static class Z3Runtime
{
    public const string Fix =
        "run scripts/setup.sh: it installs Debian's libz3 (apt-get install -y z3 libz3-dev) and builds the libz3.so shim that the build copies next to Kgent";

    private static int resolverInstalled;
    private static Task? warming;
    private static Context? spare;

    /// <summary>Makes one context on the thread pool, once per process, and keeps it for the next <see cref="CreateContext"/>:
    /// a context costs ~50 ms to make (the first ~60 ms, with mapping libz3), which a caller that will prove something later
    /// can spend while it does other work. A library that cannot be loaded is left for <see cref="CreateContext"/> to report.</summary>
    public static Task Warm()
    {
        var started = new Task(() =>
        {
            try
            {
                Interlocked.Exchange(ref spare, NewContext())?.Dispose();
            }
            catch (Exception e) when (e is SolverUnavailableException or Z3Exception)
            {
                // Reported by the first real use.
            }
        });
        if (Interlocked.CompareExchange(ref warming, started, null) is { } running)
        {
            return running;
        }

        started.Start(TaskScheduler.Default);
        return started;
    }

    /// <summary>A context of its own for the caller, who disposes it: the one <see cref="Warm"/> made (waiting for it when it
    /// is being made), else a new one.</summary>
    public static Context CreateContext()
    {
        if (warming is { IsCompleted: false } running)
        {
            try
            {
                running.Wait();
            }
            catch (AggregateException)
            {
                // The warm-up failed; a context made here reports why.
            }
        }

        return Interlocked.Exchange(ref spare, null) ?? NewContext();
    }

    private static Context NewContext()
    {
        InstallResolver();
        Platform.NativeHeap.KeepLargeBlocks();
        try
        {
            return new Context(new Dictionary<string, string> { ["model"] = "true" });
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            var what = e is EntryPointNotFoundException
                ? "the Z3 native library lacks a function Microsoft.Z3 needs (Debian's libz3 without Kgent's shim)"
                : "the Z3 native library (libz3.so) could not be loaded";
            throw new SolverUnavailableException($"Z3 is not available: {what}", Fix, e);
        }
    }

    /// <summary>Makes Microsoft.Z3 load Kgent's shim from beside Kgent.Kernel.dll (where the build and the NuGet package
    /// put it), then from <c>KGENT_Z3_SHIM</c>; otherwise the runtime's normal search applies. This matters in hosts whose
    /// application directory is not Kgent's, such as a notebook kernel that loaded Kgent from a NuGet package.</summary>
    private static void InstallResolver()
    {
        if (Interlocked.Exchange(ref resolverInstalled, 1) == 1)
        {
            return;
        }

        try
        {
            System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(Context).Assembly, (name, _, _) =>
            {
                if (name != "libz3")
                {
                    return IntPtr.Zero;
                }

                var candidates = new[]
                {
                    Path.Combine(Path.GetDirectoryName(typeof(Z3Runtime).Assembly.Location) ?? string.Empty, "libz3.so"),
                    Environment.GetEnvironmentVariable("KGENT_Z3_SHIM") ?? string.Empty,
                };
                foreach (var candidate in candidates.Where(File.Exists))
                {
                    if (System.Runtime.InteropServices.NativeLibrary.TryLoad(candidate, out var handle))
                    {
                        return handle;
                    }
                }

                return IntPtr.Zero;
            });
        }
        catch (InvalidOperationException)
        {
            // Another component set a resolver for Microsoft.Z3 first; keep it.
        }
    }

    /// <summary>The native Z3 version in use, e.g. <c>4.8.12.0</c>, or the reason it cannot be loaded.</summary>
    public static string DescribeVersion()
    {
        try
        {
            using var context = CreateContext();
            return Microsoft.Z3.Version.FullVersion;
        }
        catch (SolverUnavailableException e)
        {
            return e.Message;
        }
    }
}

/// <summary>Z3 could not be loaded; <see cref="Fix"/> says what to run.</summary>
public sealed class SolverUnavailableException(string message, string fix, Exception? inner = null) : Exception(message, inner)
{
    public string Fix { get; } = fix;
}
