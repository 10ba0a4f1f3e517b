using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Libbpf.Native;

namespace Kgent.Kernel.Libbpf.Run;

/// <summary>The records a program sends through its ring buffers, read with libbpf's <c>ring_buffer</c> API and turned into
/// lines: each record decoded with the program's struct of that size in the object's BTF (one named <c>event</c> first;
/// a struct of one <c>char[]</c> is its text),
/// else in hex with a note on how to get it decoded (clang puts a struct into BTF only when a global or a function uses
/// it). Bounded: records past the byte limit are dropped and the run stops.</summary>
internal sealed unsafe class RingBufferEvents : IDisposable
{
    private readonly BtfTypeGraph? btf;
    private readonly long byteLimit;
    private readonly List<string> lines = [];
    private readonly List<string> problems = [];
    private GCHandle self;
    private nint manager;
    private long bytes;
    private bool undecoded;

    private RingBufferEvents(BtfTypeGraph? btf, long byteLimit)
    {
        this.btf = btf;
        this.byteLimit = byteLimit;
        self = GCHandle.Alloc(this);
    }

    /// <summary>Every record so far, as text.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (lines)
            {
                return lines.Count;
            }
        }
    }

    /// <summary>True when records were dropped at the byte limit.</summary>
    public bool Truncated { get; private set; }

    public IReadOnlyList<string> Problems => problems;

    /// <summary>Opens a reader over every ring buffer map (<paramref name="fds"/>); null when there are none.</summary>
    public static RingBufferEvents? Open(IReadOnlyList<(string Name, int Fd)> fds, BtfTypeGraph? btf, long byteLimit)
    {
        if (fds.Count == 0)
        {
            return null;
        }

        var events = new RingBufferEvents(btf, byteLimit);
        foreach (var (name, fd) in fds)
        {
            if (events.manager == 0)
            {
                events.manager = LibbpfNative.RingBufferNew(fd, &Sample, GCHandle.ToIntPtr(events.self), 0);
                if (events.manager == 0)
                {
                    events.problems.Add($"ring buffer {name} cannot be read: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }
            }
            else if (LibbpfNative.RingBufferAdd(events.manager, fd, &Sample, GCHandle.ToIntPtr(events.self)) < 0)
            {
                events.problems.Add($"ring buffer {name} cannot be read: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }

        return events;
    }

    /// <summary>Reads what arrived, waiting up to <paramref name="milliseconds"/> for the first record.</summary>
    public void Poll(int milliseconds)
    {
        if (manager != 0)
        {
            LibbpfNative.RingBufferPoll(manager, milliseconds);
        }
        else
        {
            Thread.Sleep(milliseconds);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Sample(nint context, nint data, nuint size)
    {
        if (GCHandle.FromIntPtr(context).Target is RingBufferEvents events)
        {
            events.Add(new ReadOnlySpan<byte>((void*)data, (int)Math.Min(size, int.MaxValue)));
        }

        return 0;
    }

    private void Add(ReadOnlySpan<byte> record)
    {
        if (bytes + record.Length > byteLimit)
        {
            Truncated = true;
            return;
        }

        bytes += record.Length;
        var type = btf is null ? null : RecordType(btf, record.Length);
        if (type is null && !undecoded)
        {
            undecoded = true;
            problems.Add($"ring buffer records of {record.Length} bytes are shown in hex: no struct of that size is in the object's BTF; declare one global that uses it, " +
                "e.g. struct event *unused_event __attribute__((unused));");
        }

        var text = type is null ? Convert.ToHexStringLower(record)
            : IsText(btf!, type) ? BtfValueReader.Format(btf!, type.Members[0].Type, record)
            : BtfValueReader.Format(btf!, type.Id, record);
        lock (lines)
        {
            lines.Add(text);
        }
    }

    /// <summary>A record that is one <c>char[]</c> (what <c>BPF_SNPRINTF</c> formats) is a line of text, as printf's are.</summary>
    private static bool IsText(BtfTypeGraph btf, BtfComposite type) =>
        type.Members.Length == 1 && btf.Resolve(type.Members[0].Type) is BtfArray array && btf.Resolve(array.ElementType) is BtfInt { Size: 1 };

    /// <summary>The program's struct for records of this size: one named <c>event</c> (or ending so) first.</summary>
    private static BtfComposite? RecordType(BtfTypeGraph btf, int size)
    {
        var sized = btf.Composites.Where(c => !c.IsUnion && c.Size == size && c.Name.Length > 0).ToList();
        return sized.FirstOrDefault(c => c.Name == "event") ?? sized.FirstOrDefault(c => c.Name.EndsWith("event", StringComparison.Ordinal)) ?? (sized.Count == 1 ? sized[0] : null);
    }

    public void Dispose()
    {
        if (manager != 0)
        {
            LibbpfNative.RingBufferFree(manager);
            manager = 0;
        }

        if (self.IsAllocated)
        {
            self.Free();
        }
    }
}
