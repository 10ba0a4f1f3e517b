using System.Runtime.InteropServices;

namespace Kgent.Kernel.Libbpf.Native;

/// <summary>The part of libbpf's public API (libbpf.so.1, the 1.x ABI Debian ships as libbpf1) Kgent calls: open and load
/// an object, walk its programs and maps, attach and detach, read maps and ring buffers. Pointers stay opaque; every call
/// that can fail sets errno (libbpf 1.0 semantics), read with <see cref="Marshal.GetLastPInvokeError"/>.</summary>
internal static unsafe partial class LibbpfNative
{
    public const string Library = "libbpf.so.1";

    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    public static partial nint SetPrint(delegate* unmanaged[Cdecl]<int, nint, nint, int> print);

    [LibraryImport(Library, EntryPoint = "libbpf_major_version")]
    public static partial uint MajorVersion();

    [LibraryImport(Library, EntryPoint = "libbpf_minor_version")]
    public static partial uint MinorVersion();

    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint OpenFile(string path, nint options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load", SetLastError = true)]
    public static partial int Load(nint bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    public static partial void Close(nint bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_program")]
    public static partial nint NextProgram(nint bpfObject, nint previous);

    [LibraryImport(Library, EntryPoint = "bpf_program__name")]
    public static partial nint ProgramName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__section_name")]
    public static partial nint ProgramSectionName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__set_log_buf")]
    public static partial int SetLogBuffer(nint program, byte* buffer, nuint size);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    public static partial int ProgramFd(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__attach", SetLastError = true)]
    public static partial nint Attach(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_link__destroy")]
    public static partial int DestroyLink(nint link);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_map")]
    public static partial nint NextMap(nint bpfObject, nint previous);

    [LibraryImport(Library, EntryPoint = "bpf_map__name")]
    public static partial nint MapName(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__type")]
    public static partial int MapType(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__key_size")]
    public static partial uint MapKeySize(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__value_size")]
    public static partial uint MapValueSize(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    public static partial int MapFd(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key", SetLastError = true)]
    public static partial int MapGetNextKey(int fd, void* key, void* nextKey);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    public static partial int MapLookup(int fd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int PossibleCpus();

    [LibraryImport(Library, EntryPoint = "ring_buffer__new", SetLastError = true)]
    public static partial nint RingBufferNew(int mapFd, delegate* unmanaged[Cdecl]<nint, nint, nuint, int> sample, nint context, nint options);

    [LibraryImport(Library, EntryPoint = "ring_buffer__add", SetLastError = true)]
    public static partial int RingBufferAdd(nint ringBuffer, int mapFd, delegate* unmanaged[Cdecl]<nint, nint, nuint, int> sample, nint context);

    [LibraryImport(Library, EntryPoint = "ring_buffer__poll", SetLastError = true)]
    public static partial int RingBufferPoll(nint ringBuffer, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    public static partial void RingBufferFree(nint ringBuffer);

    [LibraryImport("libc", EntryPoint = "vsnprintf")]
    public static partial int FormatV(byte* buffer, nuint size, nint format, nint arguments);

    public static string? Utf8(nint text) => text == 0 ? null : Marshal.PtrToStringUTF8(text);
}
