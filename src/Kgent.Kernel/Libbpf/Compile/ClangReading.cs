namespace Kgent.Kernel.Libbpf.Compile;

/// <summary>What clang was run with to compile a program (without the output arguments), so it can be asked about the
/// same program again.</summary>
internal sealed record ClangReading(string Clang, IReadOnlyList<string> Arguments, string FileName, TimeSpan Timeout);
