namespace Kgent.Kernel.Bpftrace.Porting;

/// <summary>One rewrite of a port, on the original program's line: "`let $p = …` → `$p = …`".</summary>
public sealed record PortRewrite(int Line, string From, string To, string Why);
