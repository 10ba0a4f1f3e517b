namespace Kgent.Kernel.Libbpf;

/// <summary>Which language a program file is in: libbpf C (<c>*.c</c>, usually <c>*.bpf.c</c>) or bpftrace (anything else).</summary>
public static class CSource
{
    public static bool IsC(string path) => path.EndsWith(".c", StringComparison.Ordinal);

    /// <summary>Whether program text with no file name (a notebook cell) is libbpf C: it has an <c>#include</c> and a
    /// <c>SEC("…")</c>, which no bpftrace program has.</summary>
    public static bool LooksLikeC(string text) =>
        text.Contains("SEC(\"", StringComparison.Ordinal) && text.Contains("#include", StringComparison.Ordinal);
}
