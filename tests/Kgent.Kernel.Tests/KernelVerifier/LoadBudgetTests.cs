using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.KernelVerifier;

/// <summary>Load and detach deadlines scale with the probes a program attaches (wildcards counted in the catalog), and a
/// real 300-probe program — which takes bpftrace about 22 s to detach here — is accepted, not "killed".</summary>
[Collection(KernelCollection.Name)]
public sealed class LoadBudgetTests
{
    [Fact]
    public void Probes_are_counted_with_wildcards_expanded_in_the_catalog()
    {
        var one = LoadBudget.For(BpftraceParser.Parse("BEGIN { } tracepoint:syscalls:sys_enter_openat { }").Program, Catalogs.Snapshot);
        var wildcard = LoadBudget.For(BpftraceParser.Parse("tracepoint:syscalls:sys_enter_* { }").Program, Catalogs.Snapshot);
        var given = LoadBudget.For(BpftraceParser.Parse("tracepoint:syscalls:sys_enter_* { }").Program, Catalogs.Snapshot, TimeSpan.FromSeconds(7));

        Assert.Equal(2, one.Probes);
        Assert.Equal(Catalogs.Snapshot.MatchTracepoints("syscalls", "sys_enter_*").Count(), wildcard.Probes);
        Assert.True(wildcard.Probes > 300);
        Assert.True(wildcard.Detach > one.Detach && wildcard.Load > one.Load);
        Assert.Equal(TimeSpan.FromSeconds(7), given.Load);
    }

    [BpftraceFact]
    public void A_valid_three_hundred_probe_program_is_accepted()
    {
        var probes = Catalogs.Snapshot.MatchTracepoints("syscalls", "sys_enter_*").Take(300).Select(t => $"tracepoint:{t.Name}");
        var program = BpftraceParser.Parse(string.Join('\n', probes.Select(p => $"{p} {{ @[probe] = count(); }}")) + "\n", "big.bt");

        var verdict = KernelLoader.Verify(program, new VerifyOptions(Catalog: Catalogs.Snapshot));

        Assert.True(verdict.IsAccepted, verdict.ToString());
        Assert.Equal(300, ((LoadVerdict.Accepted)verdict).Probes.Length);
    }
}
