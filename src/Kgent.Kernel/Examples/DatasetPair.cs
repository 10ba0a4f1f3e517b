namespace Kgent.Kernel.Examples;

/// <summary>One pair of the eBPFNL dataset (<c>datasets/ebpfnl/*.yaml</c>): a stable id, its split (train or test),
/// the request and the program.</summary>
public sealed record DatasetPair(string Id, string Split, string Request, string Program, string File)
{
    public Example ToExample() => Example.New(Request, Program, $"dataset:ebpfnl/{Split}/{Id}");
}
