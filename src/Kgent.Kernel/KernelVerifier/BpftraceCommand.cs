using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.KernelInfo.Host.Bpftrace;

namespace Kgent.Kernel.KernelVerifier;

/// <summary>What bpftrace is given for a program: the annotation-free text in a temporary file named like the original
/// (so bpftrace's messages name the same file), and a map from its lines back to the original's.</summary>
internal sealed class BpftraceCommand : IDisposable
{
    private readonly string directory;
    private readonly int[] originalLine;

    private BpftraceCommand(string directory, string file, string fileForBpftrace, SourceText loaded, int[] originalLine)
    {
        this.directory = directory;
        File = file;
        FileForBpftrace = fileForBpftrace;
        Loaded = loaded;
        this.originalLine = originalLine;
    }

    public string File { get; }

    /// <summary><see cref="File"/> as the bpftrace sees it: below its root when it runs in a chroot.</summary>
    public string FileForBpftrace { get; }

    /// <summary>The temporary folder holding <see cref="File"/> (the guard removes it if Kgent dies).</summary>
    public string Directory => directory;

    public SourceText Loaded { get; }

    public static BpftraceCommand Create(ParseResult program, BpftraceInstallation? bpftrace = null)
    {
        var text = AnnotationStripper.CountAnnotations(program.Program) == 0 ? program.Source.Text : AnnotationStripper.StripText(program);
        // A bpftrace in a chroot reads files below its root: the program goes in the chroot's /tmp.
        var directory = bpftrace?.Root is null
            ? System.IO.Directory.CreateTempSubdirectory("kgent-bpftrace-").FullName
            : CreateDirectoryIn(bpftrace.TemporaryDirectory);
        // Readable by everyone: bpftrace may run as another user (through a command prefix) and opens the file first.
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var name = Path.GetFileName(program.Source.Path);
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.StartsWith('<'))
        {
            name = "program.bt";
        }

        var file = Path.Combine(directory, name);
        Platform.SafeFile.WriteAllText(file, text);
        return new BpftraceCommand(directory, file, bpftrace?.PathFor(file) ?? file, new SourceText(text, file), MapLines(program.Source.Text, text));
    }

    private static string CreateDirectoryIn(string parent)
    {
        var directory = Path.Combine(parent, "kgent-bpftrace-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>bpftrace's 1-based line in the loaded text → the original program's line.</summary>
    public int OriginalLine(int line) => line >= 1 && line <= originalLine.Length ? originalLine[line - 1] : line;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    /// <summary>Matches the stripped text's lines to the original's: stripping removes whole lines or pieces of a line.</summary>
    private static int[] MapLines(string original, string loaded)
    {
        var before = original.Split('\n');
        var after = loaded.Split('\n');
        var map = new int[after.Length];
        var i = 0;
        for (var j = 0; j < after.Length; j++)
        {
            while (i < before.Length && before[i] != after[j] && i + 1 < before.Length && before[i + 1] == after[j])
            {
                i++;
            }

            while (i < before.Length && before[i] != after[j] && IsRemoved(before[i], after, j))
            {
                i++;
            }

            map[j] = Math.Min(i, before.Length - 1) + 1;
            i++;
        }

        return map;
    }

    private static bool IsRemoved(string line, string[] after, int j) =>
        (line.TrimStart().StartsWith("assume(", StringComparison.Ordinal) || line.TrimStart().StartsWith("assert(", StringComparison.Ordinal))
        && !after[j].TrimStart().StartsWith("assume(", StringComparison.Ordinal) && !after[j].TrimStart().StartsWith("assert(", StringComparison.Ordinal);
}
