using Kgent.Kernel.Contracts;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Contracts;

/// <summary>datasets/contracts: enough hooks, the required ones, and every contract valid against the kernel catalog.</summary>
public sealed class ContractDatasetTests
{
    [Fact]
    public void Dataset_loads_without_problems_and_has_at_least_sixty_hooks()
    {
        var loaded = ContractLoader.Load(SymbolicCases.ContractsDirectory);

        Assert.Empty(loaded.Problems);
        Assert.True(loaded.Contracts.Contracts.Length >= 60, $"only {loaded.Contracts.Contracts.Length} contracts");
        Assert.All(loaded.Contracts.Contracts, c => Assert.False(string.IsNullOrWhiteSpace(c.Summary)));
    }

    [Theory]
    [InlineData("tcp_connect")]
    [InlineData("sock:inet_sock_set_state")]
    [InlineData("vfs_read")]
    [InlineData("do_sys_openat2")]
    [InlineData("tracepoint:syscalls:sys_enter_openat")]
    [InlineData("sched:sched_switch")]
    [InlineData("kmem:kmalloc")]
    [InlineData("block:block_rq_issue")]
    [InlineData("kprobe:vfs_write")]
    [InlineData("kretfunc:tcp_connect")]
    public void Required_hook_has_a_contract(string hook) => Assert.NotNull(SymbolicCases.Contracts.Find(hook));

    [Fact]
    public void Dataset_covers_files_processes_scheduling_memory_block_and_networking()
    {
        var names = SymbolicCases.Contracts.Contracts.Select(c => c.Name).ToList();
        string[] areas = ["vfs_", "sched_process", "sched_switch", "kmem:", "block:", "tcp_", "syscalls:"];
        Assert.All(areas, area => Assert.Contains(names, n => n.Contains(area, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_contract_is_valid_against_the_catalog_snapshot()
    {
        var problems = ContractValidator.Validate(SymbolicCases.Contracts, Catalogs.Snapshot);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_tracepoint_and_symbolic_fixture_hook_has_a_contract()
    {
        // The hooks our annotated examples use must all have contracts.
        var fixtures = Directory.GetFiles(SymbolicCases.Directory, "*.bt", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Concat(SymbolicCases.Verdicts.Select(c => c.Program));
        var hooks = fixtures.SelectMany(text => Bpftrace.Parsing.BpftraceParser.Parse(text).Program.Probes)
            .SelectMany(p => p.AttachPoints)
            .Where(a => a.Type is Probes.ProbeType.Tracepoint or Probes.ProbeType.Kprobe or Probes.ProbeType.Kretprobe)
            .ToList();

        Assert.NotEmpty(hooks);
        Assert.All(hooks, hook => Assert.True(SymbolicCases.Contracts.Find(hook) is not null, $"no contract for {hook.Text}"));
    }
}
