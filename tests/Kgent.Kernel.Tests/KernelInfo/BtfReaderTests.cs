using System.Buffers.Binary;
using System.Diagnostics;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.KernelInfo;

public sealed class BtfReaderTests
{
    private static byte[] RealBtf => Catalogs.Snapshot.RawBtf.ToArray();

    private static BtfTypeGraph Graph => Catalogs.Snapshot.Btf!;

    [Fact]
    public void Reads_the_whole_kernel_btf_with_every_kind()
    {
        var graph = BtfReader.Read(RealBtf);
        Assert.True(graph.Count > 100_000, $"{graph.Count} types");
        var kinds = graph.Types.Select(t => t.Kind).ToHashSet();
        foreach (var kind in new[] { BtfKind.Int, BtfKind.Pointer, BtfKind.Array, BtfKind.Struct, BtfKind.Union, BtfKind.Enum, BtfKind.Forward,
                     BtfKind.Typedef, BtfKind.Volatile, BtfKind.Const, BtfKind.Function, BtfKind.FunctionProto, BtfKind.Variable, BtfKind.DataSection })
        {
            Assert.Contains(kind, kinds);
        }
    }

    [LiveBtfFact]
    public void Matches_bpftool_type_count_and_kind_counts_on_the_live_kernel()
    {
        const string btf = "/sys/kernel/btf/vmlinux";
        var bpftool = new[] { "/usr/sbin/bpftool", "/usr/bin/bpftool" }.First(File.Exists);

        using var process = Process.Start(new ProcessStartInfo(bpftool, ["btf", "dump", "file", btf, "format", "raw"]) { RedirectStandardOutput = true })!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n').Where(l => l.StartsWith('[')).ToList();
        process.WaitForExit();
        var graph = BtfReader.ReadFile(btf);
        Assert.Equal(lines.Count, graph.Count - 1);
        Assert.Equal(lines.Count(l => l.Contains("] STRUCT ", StringComparison.Ordinal)), graph.Types.Count(t => t.Kind == BtfKind.Struct));
        Assert.Equal(lines.Count(l => l.Contains("] FUNC '", StringComparison.Ordinal)), graph.Types.Count(t => t.Kind == BtfKind.Function));
        Assert.Equal(lines.Count(l => l.Contains("] UNION ", StringComparison.Ordinal)), graph.Types.Count(t => t.Kind == BtfKind.Union));
    }

    [Fact]
    public void Resolves_fields_through_nested_and_anonymous_members()
    {
        var sock = Graph.FindComposite("sock")!;
        var common = Graph.FindField(sock, "__sk_common")!;
        Assert.Equal(0, common.BitOffset);
        var sockCommon = Assert.IsType<BtfComposite>(Graph.Resolve(common.Type));
        Assert.Equal("sock_common", sockCommon.Name);

        // skc_daddr and skc_dport sit in anonymous structs inside anonymous unions.
        var daddr = Graph.FindField(sockCommon, "skc_daddr")!;
        var dport = Graph.FindField(sockCommon, "skc_dport")!;
        Assert.Equal(0, daddr.ByteOffset);
        Assert.Equal("__be16", Graph.Format(dport.Type));
        Assert.Equal(2, Graph.SizeOf(dport.Type));
        Assert.Null(Graph.FindField(sockCommon, "nosuch"));
    }

    [Fact]
    public void Reports_bitfields_with_their_width()
    {
        var bitfields = Graph.Composites.SelectMany(c => Graph.Fields(c)).Where(f => f.BitfieldSize > 0).Take(10).ToList();
        Assert.NotEmpty(bitfields);
        Assert.All(bitfields, f => Assert.InRange(f.BitfieldSize, 1, 64));
    }

    [Fact]
    public void Gives_function_prototypes_with_parameter_names_and_types()
    {
        var function = Graph.FindFunction("tcp_connect")!;
        var prototype = Graph.PrototypeOf(function)!;
        var parameter = Assert.Single(prototype.Parameters);
        Assert.Equal("sk", parameter.Name);
        Assert.Equal("struct sock *", Graph.Format(parameter.Type));
        Assert.Equal("int", Graph.Format(prototype.ReturnType));
    }

    [Theory]
    [InlineData(0, "shorter than the 24-byte BTF header")]
    [InlineData(10, "shorter than the 24-byte BTF header")]
    [InlineData(4096, "truncated")]
    [InlineData(2_000_000, "truncated")]
    public void Truncated_btf_gives_a_clear_error(int length, string expected)
    {
        var error = Assert.Throws<BtfFormatException>(() => BtfReader.Read(RealBtf.AsSpan(0, length)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Wrong_magic_is_not_btf()
    {
        var bytes = RealBtf[..64];
        bytes[0] = 0x7F;
        var error = Assert.Throws<BtfFormatException>(() => BtfReader.Read(bytes));
        Assert.Contains("not BTF", error.Message);
    }

    [Fact]
    public void Unknown_kind_names_the_type_and_byte()
    {
        var bytes = RealBtf;
        var typeStart = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        var info = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(typeStart + 4));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(typeStart + 4), (info & 0x00FFFFFF) | (30u << 24));
        var error = Assert.Throws<BtfFormatException>(() => BtfReader.Read(bytes));
        Assert.Contains("type #1", error.Message);
        Assert.Contains("unknown kind 30", error.Message);
    }

    [Fact]
    public void Random_corruption_never_escapes_as_another_exception()
    {
        var random = new Random(20261125);
        var original = RealBtf;
        for (var i = 0; i < 200; i++)
        {
            var bytes = (byte[])original.Clone();
            var length = random.Next(24, 200_000);
            for (var flips = 0; flips < 8; flips++)
            {
                bytes[random.Next(24, length)] ^= (byte)random.Next(1, 256);
            }

            try
            {
                BtfReader.Read(bytes.AsSpan(0, length));
            }
            catch (BtfFormatException)
            {
                // expected for most inputs
            }
        }
    }

    /// <summary>The lazy reader (the live catalog's) gives the same types and lookups as the whole read, decoding only
    /// what is asked for.</summary>
    [Fact]
    public void A_lazy_read_gives_what_a_whole_read_gives()
    {
        var whole = BtfReader.Read(RealBtf);
        var lazy = BtfReader.ReadLazy(RealBtf);
        Assert.Equal(whole.Count, lazy.Count);
        foreach (var id in Enumerable.Range(0, whole.Count).Where(i => i % 97 == 0 || i < 50))
        {
            Assert.Equal((whole[id].Kind, whole[id].Name, whole.Format(id)), (lazy[id].Kind, lazy[id].Name, lazy.Format(id)));
        }

        foreach (var name in new[] { "task_struct", "sock", "sk_buff", "linux_binprm" })
        {
            var (a, b) = (whole.FindComposite(name)!, lazy.FindComposite(name)!);
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(whole.Fields(a).Select(f => (f.Name, f.Type, f.BitOffset)), lazy.Fields(b).Select(f => (f.Name, f.Type, f.BitOffset)));
        }

        Assert.Equal(whole.FindFunction("tcp_connect")!.Id, lazy.FindFunction("tcp_connect")!.Id);
        Assert.Equal(whole.FindTypedef("pid_t")!.Id, lazy.FindTypedef("pid_t")!.Id);
        Assert.Equal(whole.FindEnumConstant("TCP_ESTABLISHED")!.Value, lazy.FindEnumConstant("TCP_ESTABLISHED")!.Value);
        Assert.Equal(whole.Functions.Count(), lazy.Functions.Count());
        Assert.Equal(whole.CompositeNames().Order(), lazy.CompositeNames().Order());
    }

    [Theory]
    [InlineData(10, "shorter than the 24-byte BTF header")]
    [InlineData(4096, "truncated")]
    [InlineData(2_000_000, "truncated")]
    public void A_lazy_read_of_a_truncated_blob_fails_at_once(int length, string expected)
    {
        var error = Assert.Throws<BtfFormatException>(() => BtfReader.ReadLazy(RealBtf[..length]));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Missing_file_is_a_format_error_naming_the_path()
    {
        var error = Assert.Throws<BtfFormatException>(() => BtfReader.ReadFile("/nonexistent/vmlinux"));
        Assert.Contains("/nonexistent/vmlinux", error.Message);
    }
}
