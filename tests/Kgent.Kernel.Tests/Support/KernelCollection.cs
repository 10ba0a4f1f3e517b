namespace Kgent.Kernel.Tests.Support;

/// <summary>Tests that load programs into the kernel and check what is left there run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
