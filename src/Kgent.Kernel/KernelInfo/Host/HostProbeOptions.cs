namespace Kgent.Kernel.KernelInfo.Host;

/// <summary>Where <see cref="HostProbe"/> looks. <see cref="Root"/> prefixes every system path, so tests can describe
/// a kernel with kprobes (or without BTF) as a directory tree; <see cref="BpftraceInfo"/> supplies the text of
/// <c>bpftrace --info</c> (null when bpftrace is not installed).</summary>
public sealed record HostProbeOptions(string Root, Func<string?> BpftraceInfo)
{
    public static HostProbeOptions Live { get; } = new("/", () => Bpftrace.BpftraceInfoReader.Read());
}
