using Kgent.Kernel.KernelInfo.Catalog;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Semantics;

/// <summary>A kernel without BTF: struct checks cannot run, and the checker says so instead of guessing.</summary>
public sealed class CheckerWithoutBtfTests
{
    private static readonly ProbeCatalog NoBtf = new(
        Catalogs.Snapshot.Host with { BtfPath = null }, null, ReadOnlyMemory<byte>.Empty, Catalogs.Snapshot.Tracepoints, [], "test catalog without BTF");

    [Fact]
    public void Struct_casts_get_a_warning_and_no_false_field_errors()
    {
        var result = SemanticChecker.Check(
            "tracepoint:sock:inet_sock_set_state { $sk = (struct sock *)args->skaddr; printf(\"%d\\n\", $sk->no_such_field); }\n",
            "nobtf.bt", NoBtf);
        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics.Select(d => d.Message)));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("KG2102", warning.Code);
        Assert.Contains("struct sock", warning.Message);
    }

    [Fact]
    public void Tracepoint_fields_are_still_checked_from_tracefs()
    {
        var result = SemanticChecker.Check("tracepoint:syscalls:sys_enter_openat { printf(\"%s\\n\", str(args->filenam)); }\n", "nobtf.bt", NoBtf);
        Assert.Contains(result.Errors, d => d.Code == "KG2201");
    }
}
