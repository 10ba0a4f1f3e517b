using System.Collections.Immutable;
using Kgent.Kernel.Bpftrace.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Libbpf.Objects;

namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>The result of compiling a C program: clang's diagnostics in Kgent's form, and on success the object (in a
/// temporary folder that disposing removes) read back with its programs, maps and line info.</summary>
public sealed class CBuild : IDisposable
{
    private readonly string? directory;

    internal CBuild(SourceText source, ImmutableArray<Diagnostic> diagnostics, string? directory, string? compiledFile, BpfObjectFile? bpfObject,
        TimeSpan elapsed, string? problem)
    {
        Source = source;
        Diagnostics = diagnostics;
        this.directory = directory;
        CompiledFile = compiledFile;
        Object = bpfObject;
        Elapsed = elapsed;
        Problem = problem;
    }

    public SourceText Source { get; }

    /// <summary>clang's errors and warnings, on the program's lines.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The file clang compiled (the program under its own name in the temporary folder): the name the verifier's
    /// line info uses.</summary>
    public string? CompiledFile { get; }

    /// <summary>The compiled object, when clang succeeded.</summary>
    public BpfObjectFile? Object { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>Why nothing was compiled when the toolchain is missing or clang did not run (no diagnostics then).</summary>
    public string? Problem { get; }

    public bool Succeeded => Object is not null;

    /// <summary>How to ask clang about this program again (its syntax tree), with the arguments it was compiled with.</summary>
    internal ClangReading? Reading { get; init; }

    public void Dispose()
    {
        if (directory is not null)
        {
            DeleteFolder(directory);
        }
    }

    /// <summary>Removes a build's temporary folder (a failed compile's at once, a finished build's on dispose).</summary>
    internal static void DeleteFolder(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
