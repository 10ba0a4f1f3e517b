using System.Collections.Immutable;
using System.Diagnostics;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Libbpf.Objects;
using Kgent.Kernel.Libbpf.Toolchain;
using Kgent.Kernel.Processes;

namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>Compiles a CO-RE C program the way libbpf tools are built: <c>clang -g -O2 -target bpf -D__TARGET_ARCH_x86</c>
/// with vmlinux.h for the running kernel (precompiled, see <see cref="PrecompiledVmlinux"/>) and libbpf's headers on the include path. The program is compiled under its own
/// file name in a temporary folder, so clang's messages and the object's line info name the user's file; its own folder
/// is on the include path for its local headers. A function from program text to a <see cref="CBuild"/>; it never throws for
/// a bad program or a missing tool.</summary>
public static class ClangCompiler
{
    public static CBuild Compile(SourceText source, CompileOptions? options = null)
    {
        options ??= CompileOptions.Default;
        var clock = Stopwatch.StartNew();
        var toolchain = options.Toolchain ?? CToolchain.Find();
        if (toolchain.Problem is { } missing)
        {
            return Failed(source, $"{missing}; install it: {CToolchain.InstallCommand}", clock);
        }

        // Before clang reads anything: an include that could bring any file of the host into a diagnostic is refused.
        if (IncludePolicy.Review(source) is { IsEmpty: false } forbidden)
        {
            return new CBuild(source, forbidden, null, null, null, clock.Elapsed, null);
        }

        string vmlinux;
        try
        {
            vmlinux = VmlinuxHeader.DirectoryFor(toolchain, options.BtfPath, options.VmlinuxCache);
        }
        catch (Exception e) when (e is VmlinuxHeaderException or IOException or UnauthorizedAccessException or Platform.FileWriteException)
        {
            return Failed(source, e.Message, clock);
        }

        var directory = Directory.CreateTempSubdirectory("kgent-clang-").FullName;
        var name = FileName(source.Path);
        var file = Path.Combine(directory, name);
        var output = Path.Combine(directory, Path.GetFileNameWithoutExtension(name) + ".o");
        Platform.SafeFile.WriteAllText(file, source.Text);
        List<string> flags = ["-g", "-O2", "-target", "bpf", $"-D__TARGET_ARCH_{CompileOptions.TargetArchitecture}"];
        List<string> arguments = [.. flags, .. CAnnotations.Erased, "-fno-color-diagnostics", "-fno-caret-diagnostics", "-ferror-limit=50", "-I", vmlinux];
        if (Path.GetDirectoryName(Path.GetFullPath(source.Path)) is { } own && Directory.Exists(own) && !source.Path.StartsWith('<'))
        {
            arguments.AddRange(["-I", own]);
        }

        foreach (var include in options.IncludeDirectories ?? [])
        {
            arguments.AddRange(["-I", include]);
        }

        if (CompileOptions.MultiarchIncludeDirectory is { } multiarch)
        {
            arguments.AddRange(["-idirafter", multiarch]);
        }

        var reading = arguments.ToImmutableArray();
        arguments.AddRange(["-c", name, "-o", Path.GetFileName(output)]);
        var precompiled = options.Precompile && PrecompiledVmlinux.StartsWithVmlinux(source.Text)
            ? PrecompiledVmlinux.For(toolchain.Clang!, vmlinux, flags, options.EffectiveTimeout)
            : null;
        var result = Run(toolchain.Clang!, directory, precompiled is null ? arguments : ["-include-pch", precompiled, .. arguments], options.EffectiveTimeout);
        if (precompiled is not null && result is { ExitCode: not 0 } refused && refused.Stderr.Contains(".pch", StringComparison.Ordinal))
        {
            // clang would not take the PCH (a different clang at the same path): compile as written, and build it again next time.
            PrecompiledVmlinux.Discard(precompiled);
            precompiled = null;
            result = Run(toolchain.Clang!, directory, arguments, options.EffectiveTimeout);
        }

        if (result is not { } finished)
        {
            CBuild.DeleteFolder(directory);
            return Failed(source, $"clang did not compile {name} within {options.EffectiveTimeout.TotalSeconds:0} s", clock);
        }

        var diagnostics = ClangOutputReader.Read(finished.Stderr, source, file);
        if (finished.ExitCode != 0 || !File.Exists(output))
        {
            CBuild.DeleteFolder(directory);
            return diagnostics.Any(d => d.IsError)
                ? new CBuild(source, diagnostics, null, null, null, clock.Elapsed, null)
                : Failed(source, $"clang failed (exit {finished.ExitCode}): {FirstLine(finished.Stderr)}", clock);
        }

        try
        {
            return new CBuild(source, diagnostics, directory, file, BpfObjectFile.Read(output), clock.Elapsed, null)
            {
                Reading = new ClangReading(toolchain.Clang!, precompiled is null ? reading : ["-include-pch", precompiled, .. reading], name, options.EffectiveTimeout),
            };
        }
        catch (BpfObjectException e)
        {
            CBuild.DeleteFolder(directory);
            return Failed(source, e.Message, clock);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr)? Run(string clang, string directory, IReadOnlyList<string> arguments, TimeSpan timeout) =>
        OwnedProcess.RunToEnd(new ChildCommand("clang (BPF object)", clang, ["-working-directory", directory, .. arguments]) { TemporaryDirectory = directory }, timeout);

    /// <summary>clang's JSON syntax tree of one function of a compiled program, read with the same include path and the
    /// annotations kept as <c>__builtin_annotation</c> calls (<see cref="CAnnotations.Marked"/>); null with the reason when
    /// clang cannot give it.</summary>
    internal static (string? Json, string? Problem) SyntaxTree(CBuild build, string function)
    {
        if (build.Reading is not { } reading || build.CompiledFile is not { } file)
        {
            return (null, "the program was not compiled");
        }

        var arguments = reading.Arguments.Select(CAnnotations.Marking).ToList();
        arguments.AddRange(["-fsyntax-only", "-w", "-Xclang", "-ast-dump=json", "-Xclang", $"-ast-dump-filter={function}", reading.FileName]);
        var directory = Path.GetDirectoryName(file)!;
        var result = OwnedProcess.RunToEnd(new ChildCommand("clang (syntax tree)", reading.Clang, ["-working-directory", directory, .. arguments]),
            reading.Timeout, MaxSyntaxTree);
        return result switch
        {
            null => (null, $"clang did not give the syntax tree of {function} within {reading.Timeout.TotalSeconds:0} s"),
            { ExitCode: not 0 } failed => (null, $"clang could not read {function} again (exit {failed.ExitCode}): {FirstLine(failed.Stderr)}"),
            { Stdout.Length: >= MaxSyntaxTree } => (null, $"the syntax tree clang gives for the name '{function}' is over {MaxSyntaxTree >> 20} MB (clang selects declarations by a part of their name, and vmlinux.h has many with this one); give the function a more distinctive name"),
            { } finished => (finished.Stdout, null),
        };
    }

    private const int MaxSyntaxTree = 64 << 20;

    /// <summary>The program's own file name when it has a usable one, else <c>program.bpf.c</c>.</summary>
    private static string FileName(string path)
    {
        var name = Path.GetFileName(path);
        return string.IsNullOrWhiteSpace(name) || name.StartsWith('<') || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !name.EndsWith(".c", StringComparison.Ordinal)
            ? "program.bpf.c"
            : name;
    }

    private static CBuild Failed(SourceText source, string problem, Stopwatch clock) => new(source, [], null, null, null, clock.Elapsed, problem);

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "no output";
}
