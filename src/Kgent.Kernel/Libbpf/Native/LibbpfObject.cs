using System.Runtime.InteropServices;

namespace Kgent.Kernel.Libbpf.Native;

/// <summary>One <c>struct bpf_object</c>, opened from a file by libbpf and closed (every program unloaded, every map freed)
/// on dispose. Programs and maps live in the kernel only while Kgent holds their file descriptors, so nothing outlives
/// the process however it ends: the kernel releases them when it exits, even when it is killed.</summary>
internal sealed unsafe class LibbpfObject : IDisposable
{
    /// <summary>Each program's verifier log buffer. libbpf loads without a log first and, when the kernel refuses, loads
    /// again with log level 1 into this buffer; since Linux 6.4 the kernel keeps the log's end when it does not fit, so the
    /// verdict survives a log of a million instructions (which runs to gigabytes).</summary>
    public const int LogBufferSize = 16 << 20;

    private readonly List<(nint Program, nint Buffer)> logs = [];
    private nint handle;

    private LibbpfObject(nint handle) => this.handle = handle;

    /// <summary>Opens the object (parses ELF and BTF; nothing touches the kernel yet); null with errno when libbpf cannot.</summary>
    public static LibbpfObject? Open(string path, out int error)
    {
        var handle = LibbpfNative.OpenFile(path, 0);
        error = handle == 0 ? Marshal.GetLastPInvokeError() : 0;
        return handle == 0 ? null : new LibbpfObject(handle);
    }

    public nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(LibbpfObject));

    /// <summary>Creates the maps, applies CO-RE relocations and loads every program through the kernel verifier; 0, or a
    /// negative errno.</summary>
    public int Load() => LibbpfNative.Load(Handle);

    /// <summary>Gives every program a verifier log buffer (before <see cref="Load"/>), read back with <see cref="LogOf"/>.</summary>
    public void CaptureVerifierLogs()
    {
        foreach (var (program, _, _) in Programs())
        {
            var buffer = (byte*)NativeMemory.Alloc(LogBufferSize);
            buffer[0] = 0;
            logs.Add((program, (nint)buffer));
            LibbpfNative.SetLogBuffer(program, buffer, LogBufferSize);
        }
    }

    /// <summary>The verifier's log for the program named <paramref name="name"/>, empty when there is none.</summary>
    public string LogOf(string name)
    {
        foreach (var (program, buffer) in logs)
        {
            if (LibbpfNative.Utf8(LibbpfNative.ProgramName(program)) == name)
            {
                var bytes = new ReadOnlySpan<byte>((void*)buffer, LogBufferSize);
                var end = bytes.IndexOf((byte)0);
                return System.Text.Encoding.UTF8.GetString(bytes[..(end < 0 ? LogBufferSize : end)]);
            }
        }

        return string.Empty;
    }

    /// <summary>The programs: libbpf's handle, name (the C function) and section.</summary>
    public IReadOnlyList<(nint Handle, string Name, string Section)> Programs()
    {
        var programs = new List<(nint, string, string)>();
        for (var program = LibbpfNative.NextProgram(Handle, 0); program != 0; program = LibbpfNative.NextProgram(Handle, program))
        {
            programs.Add((program, LibbpfNative.Utf8(LibbpfNative.ProgramName(program)) ?? "?", LibbpfNative.Utf8(LibbpfNative.ProgramSectionName(program)) ?? "?"));
        }

        return programs;
    }

    /// <summary>The maps: libbpf's handle, name, type, key and value sizes and file descriptor (after <see cref="Load"/>).</summary>
    public IReadOnlyList<(nint Handle, string Name, int Type, int KeySize, int ValueSize, int Fd)> Maps()
    {
        var maps = new List<(nint, string, int, int, int, int)>();
        for (var map = LibbpfNative.NextMap(Handle, 0); map != 0; map = LibbpfNative.NextMap(Handle, map))
        {
            maps.Add((map, LibbpfNative.Utf8(LibbpfNative.MapName(map)) ?? "?", LibbpfNative.MapType(map), (int)LibbpfNative.MapKeySize(map),
                (int)LibbpfNative.MapValueSize(map), LibbpfNative.MapFd(map)));
        }

        return maps;
    }

    /// <summary>Attaches a loaded program the way its section says (tracepoint, raw tracepoint, kprobe…); the link, or 0
    /// with errno.</summary>
    public static nint Attach(nint program, out int error)
    {
        var link = LibbpfNative.Attach(program);
        error = link == 0 ? Marshal.GetLastPInvokeError() : 0;
        return link;
    }

    public void Dispose()
    {
        var closing = Interlocked.Exchange(ref handle, 0);
        if (closing != 0)
        {
            LibbpfNative.Close(closing);
        }

        foreach (var (_, buffer) in logs)
        {
            NativeMemory.Free((void*)buffer);
        }

        logs.Clear();
    }
}
