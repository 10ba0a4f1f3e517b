namespace Kgent.Kernel.Libbpf.Objects;

/// <summary>A map as the object declares it in <c>SEC(".maps")</c>: its name, its type number (<c>BPF_MAP_TYPE_*</c>), its
/// size, and the BTF types of its key and value (from <c>__type(key, …)</c> and <c>__type(value, …)</c>), which the runner
/// decodes the kernel's bytes with.</summary>
public sealed record BpfMapDefinition(string Name, int? Type, int? MaxEntries, int? KeyType, int? ValueType)
{
    public const int Hash = 1;
    public const int Array = 2;
    public const int PerfEventArray = 4;
    public const int PerCpuHash = 5;
    public const int PerCpuArray = 6;
    public const int LruHash = 9;
    public const int LruPerCpuHash = 10;
    public const int RingBuffer = 27;

    public bool IsPerCpu => Type is PerCpuHash or PerCpuArray or LruPerCpuHash;

    public bool IsArray => Type is Array or PerCpuArray;

    /// <summary>Maps the runner reads at the end of a run: hashes and arrays, per-CPU or not.</summary>
    public bool IsReadable => Type is Hash or Array or PerCpuHash or PerCpuArray or LruHash or LruPerCpuHash;
}
