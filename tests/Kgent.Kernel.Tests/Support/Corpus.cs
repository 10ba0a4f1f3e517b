using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Tests.Support;

/// <summary>Where the test inputs live: the repository's own examples and the bpftrace tools Debian installs.</summary>
public static class Corpus
{
    public const string InstalledToolsDirectory = "/usr/sbin";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string[] InstalledToolPaths() =>
        Directory.Exists(InstalledToolsDirectory)
            ? Directory.GetFiles(InstalledToolsDirectory, "*.bt").Order(StringComparer.Ordinal).ToArray()
            : [];

    public static IEnumerable<object[]> InstalledTools() => InstalledToolPaths().Select(path => new object[] { Path.GetFileName(path) });

    public static SourceText LoadTool(string name) => SourceText.FromFile(Path.Combine(InstalledToolsDirectory, name));

    public static string[] ExamplePaths() => Directory.GetFiles(Path.Combine(RepositoryRoot, "examples"), "*.bt").Order(StringComparer.Ordinal).ToArray();

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kgent.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find Kgent.sln above " + AppContext.BaseDirectory);
    }
}
