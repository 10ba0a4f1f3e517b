using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Dependencies;
using ArchUnitNET.Loader;

namespace Kgent.Kernel.Tests.Architecture;

/// <summary>The workbench is the one composition root: no front end loads the settings, makes a model, opens an example
/// store, loads a catalog or contracts, or wires the loop or an evaluation itself. Read from the compiled front ends'
/// calls (ArchUnitNET).</summary>
public sealed class CompositionRootTests
{
    /// <summary>What only the workbench may call: (type, member name prefix; empty for every member).</summary>
    private static readonly (string Type, string Member)[] Forbidden =
    [
        ("Kgent.Kernel.KernelInfo.Catalog.CatalogLoader", string.Empty),
        ("Kgent.Kernel.KernelInfo.Catalog.CatalogSnapshot", "Read("),
        ("Kgent.Kernel.Contracts.ContractLoader", string.Empty),
        ("Kgent.Kernel.Examples.ExampleStore", "Open("),
        ("Kgent.Kernel.Examples.ExampleStore", "OpenExisting("),
        ("Kgent.Kernel.Examples.EbpfnlDataset", "SeedIfEmpty("),
        ("Kgent.Kernel.Agent.Providers.ModelProvider", "Create"),
        ("Kgent.Kernel.Agent.Providers.ModelSettings", "Load("),
        ("Kgent.Kernel.Agent.Offline.OfflineRetrievalModel", ".ctor("),
        ("Kgent.Kernel.Agent.SynthesisLoop", ".ctor("),
        ("Kgent.Kernel.Evaluation.EvalRunner", ".ctor("),
    ];

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> FrontEnds = new(() => new ArchLoader().LoadAssemblies(
        typeof(Kgent.Kernel.Composition.Workbench).Assembly, typeof(Kgent.Cli.KgentCli).Assembly, typeof(Kgent.Extension.KgentNotebook).Assembly,
        typeof(Kgent.Notebook.KgentSession).Assembly,
        typeof(Kgent.Jupyter.JupyterKernel).Assembly).Build());

    [Fact]
    public void No_front_end_constructs_a_model_store_catalog_or_contract_set()
    {
        var calls = Calls("Kgent.Cli", "Kgent.Extension", "Kgent.Notebook", "Kgent.Jupyter").ToList();
        Assert.True(calls.Count > 500, $"{calls.Count} calls read from the front ends: the assemblies did not load");
        var wrong = calls.Where(c => IsForbidden(c.Target)).Select(c => $"{c.From} calls {c.Target}").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(wrong.Count == 0, "front ends that wire the pipeline themselves (ask the Workbench instead):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_workbench_is_where_they_are_made()
    {
        // The rule's own check: the calls it forbids are real, and the workbench makes them.
        var made = Calls("Kgent.Kernel.Composition").Select(c => c.Target).Where(IsForbidden).ToList();
        foreach (var (type, member) in new[] { ("CatalogLoader", "Load("), ("ContractLoader", "Load("), ("ExampleStore", "Open("), ("ModelProvider", "Create("), ("SynthesisLoop", ".ctor(") })
        {
            Assert.Contains(made, m => m.Contains($"{type}::{member}", StringComparison.Ordinal) || m.Contains($"{type}.{member}", StringComparison.Ordinal));
        }
    }

    private static bool IsForbidden(string target) =>
        Forbidden.Any(f => target.StartsWith(f.Type + "::" + f.Member, StringComparison.Ordinal) || target.StartsWith(f.Type + "." + f.Member, StringComparison.Ordinal));

    /// <summary>Every method call made by the types of the namespaces, as (caller, "Type::Member(...)").</summary>
    private static IEnumerable<(string From, string Target)> Calls(params string[] namespaces) =>
        from type in FrontEnds.Value.Types
        where namespaces.Any(n => (type.Namespace?.FullName ?? string.Empty).StartsWith(n, StringComparison.Ordinal))
        from dependency in type.Dependencies.OfType<MethodCallDependency>()
        select (type.FullName, $"{dependency.TargetMember.DeclaringType.FullName}::{dependency.TargetMember.Name}");
}
