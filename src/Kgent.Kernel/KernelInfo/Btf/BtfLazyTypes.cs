namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary>The types of a lazily read BTF blob (<see cref="BtfReader.ReadLazy"/>): where each starts, its kind and its
/// name, known from one walk; each type decoded on first use and kept. Thread-safe.</summary>
internal sealed class BtfLazyTypes(byte[] data, bool bigEndian, int end, BtfReader.StringTable strings, int[] offsets, BtfKind[] kinds, uint[] names)
{
    private readonly BtfType?[] decoded = new BtfType?[offsets.Length];
    private readonly Lock gate = new();

    public int Count => offsets.Length;

    public BtfKind KindOf(int id) => kinds[id];

    public string NameOf(int id)
    {
        lock (gate)
        {
            return strings.Get(names[id], id);
        }
    }

    public BtfType Get(int id)
    {
        if (Volatile.Read(ref decoded[id]) is { } known)
        {
            return known;
        }

        lock (gate)
        {
            return decoded[id] ??= id == 0 ? new BtfVoid() : BtfReader.DecodeAt(data, bigEndian, id, offsets[id], end, strings);
        }
    }
}
