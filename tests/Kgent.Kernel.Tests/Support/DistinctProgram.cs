using System.Security.Cryptography;

namespace Kgent.Kernel.Tests.Support;

/// <summary>A copy of a system program under a name no other process on the machine has (its comm), so a test counts only
/// its own workload's events even while other processes run the same program.</summary>
public sealed class DistinctProgram : IDisposable
{
    private readonly string directory;

    private DistinctProgram(string directory, string path, string comm)
    {
        this.directory = directory;
        Path = path;
        Comm = comm;
    }

    /// <summary>The copy's full path, to run in a workload.</summary>
    public string Path { get; }

    /// <summary>Its name as the kernel reports it (comm: at most 15 characters).</summary>
    public string Comm { get; }

    public static DistinctProgram Copy(string program)
    {
        var source = new[] { "/usr/bin", "/bin" }.Select(d => System.IO.Path.Combine(d, program)).First(File.Exists);
        var comm = "kg" + program[..Math.Min(4, program.Length)] + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var directory = Directory.CreateTempSubdirectory("kgent-test-prog-").FullName;
        var path = System.IO.Path.Combine(directory, comm);
        File.Copy(source, path); // keeps the executable bits
        return new DistinctProgram(directory, path, comm);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A copy of cat left in the temporary folder is harmless.
        }
    }
}
