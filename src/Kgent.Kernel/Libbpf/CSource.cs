namespace Kgent.Kernel.Libbpf;

/// <summary>Which language a program file is in: libbpf C (<c>*.c</c>, usually <c>*.bpf.c</c>) or bpftrace (anything else).</summary>
public static class CSource
{
    public static bool IsC(string path) => path.EndsWith(".c", StringComparison.Ordinal);
}
