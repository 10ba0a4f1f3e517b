using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Benchmarks;

/// <summary>The bpftrace tools Debian installs in /usr/sbin, the real-world corpus the front end is measured on.</summary>
public static class InstalledTools
{
    public const string Directory = "/usr/sbin";

    public static SourceText[] Load()
    {
        var files = System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.bt").Order(StringComparer.Ordinal).ToArray()
            : [];
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"no *.bt tools in {Directory}: install Debian's bpftrace package (scripts/setup.sh does)");
        }

        return [.. files.Select(SourceText.FromFile)];
    }
}
