using System.Buffers.Binary;
using Kgent.Kernel.Libbpf.Toolchain;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Libbpf;

/// <summary>vmlinux.h is written once per kernel BTF into the cache, and a different BTF gets its own.</summary>
public sealed class VmlinuxHeaderTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("kgent-vmlinux-test-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    [ClangFact]
    public void The_running_kernels_header_is_written_once_and_then_reused()
    {
        var toolchain = CToolchain.Find();

        var first = VmlinuxHeader.DirectoryFor(toolchain, cacheRoot: cache);
        var header = Path.Combine(first, "vmlinux.h");
        var written = File.GetLastWriteTimeUtc(header);
        var second = VmlinuxHeader.DirectoryFor(toolchain, cacheRoot: cache);

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(header));
        Assert.Contains("struct task_struct {", File.ReadAllText(header), StringComparison.Ordinal);
        Assert.Equal(header, VmlinuxHeader.Cached(cacheRoot: cache));
    }

    [ClangFact]
    public void A_changed_btf_gets_a_header_of_its_own()
    {
        var toolchain = CToolchain.Find();
        var small = Path.Combine(cache, "small.btf");
        File.WriteAllBytes(small, TinyBtf("kgent_probe_type"));

        var kernel = VmlinuxHeader.DirectoryFor(toolchain, cacheRoot: cache);
        var other = VmlinuxHeader.DirectoryFor(toolchain, small, cache);

        Assert.NotEqual(kernel, other);
        Assert.Contains("kgent_probe_type", File.ReadAllText(Path.Combine(other, "vmlinux.h")), StringComparison.Ordinal);
        Assert.Null(VmlinuxHeader.Cached(Path.Combine(cache, "changed.btf"), cache));
        File.WriteAllBytes(Path.Combine(cache, "changed.btf"), TinyBtf("kgent_other_type"));
        Assert.Null(VmlinuxHeader.Cached(Path.Combine(cache, "changed.btf"), cache));
    }

    [Fact]
    public void Without_btf_the_error_says_what_the_kernel_lacks()
    {
        var error = Assert.Throws<VmlinuxHeaderException>(() => VmlinuxHeader.DirectoryFor(CToolchain.Find(), Path.Combine(cache, "absent"), cache));

        Assert.Contains("CONFIG_DEBUG_INFO_BTF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_bpftool_the_error_names_the_package()
    {
        var small = Path.Combine(cache, "small.btf");
        File.WriteAllBytes(small, TinyBtf("kgent_probe_type"));

        var error = Assert.Throws<VmlinuxHeaderException>(() => VmlinuxHeader.DirectoryFor(new CToolchain("/usr/bin/clang", "/usr/include", null), small, cache));

        Assert.Contains("apt-get install", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A BTF blob with one type: <c>typedef int NAME;</c> over a 32-bit signed int.</summary>
    private static byte[] TinyBtf(string name)
    {
        var strings = System.Text.Encoding.ASCII.GetBytes("\0int\0" + name + "\0");
        var types = new byte[16 + 12];
        // [1] INT "int": name_off 1, info kind 1 << 24, size 4, encoding signed (1 << 24) | bits 32.
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(0), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(4), 1u << 24);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(8), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(12), (1u << 24) | 32);
        // [2] TYPEDEF NAME -> [1]: kind 8.
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(16), 5);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(20), 8u << 24);
        BinaryPrimitives.WriteUInt32LittleEndian(types.AsSpan(24), 1);
        var blob = new byte[24 + types.Length + strings.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xEB9F);
        blob[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)strings.Length);
        types.CopyTo(blob, 24);
        strings.CopyTo(blob, 24 + types.Length);
        return blob;
    }
}
