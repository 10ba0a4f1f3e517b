namespace Kgent.Kernel.Bpftrace.Text;

/// <summary>A 1-based line and column, the way compilers and editors print them.</summary>
public readonly record struct LinePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
