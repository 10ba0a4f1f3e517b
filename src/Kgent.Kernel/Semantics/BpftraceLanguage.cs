namespace Kgent.Kernel.Semantics;

/// <summary>The bpftrace release whose language the checker holds programs to. For now it is this host's bpftrace,
/// Debian bookworm's 0.17; choosing another (the bpftrace in use, <c>--target-version</c>) is issue 16's next step. The
/// releases that added each newer feature are in datasets/bpftrace-versions/language.yaml.</summary>
public static class BpftraceLanguage
{
    public const string Target = "0.17";
}
