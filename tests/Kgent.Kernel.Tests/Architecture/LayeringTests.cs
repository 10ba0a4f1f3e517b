using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace Kgent.Kernel.Tests.Architecture;

/// <summary>The compiled assemblies keep to src/layers.md: every type of Kgent belongs to a layer, and every dependency
/// one type has on another (fields, signatures, calls, casts, attributes: what ArchUnitNET reads from the IL) goes to
/// its own layer or to one the table lets it use.</summary>
public sealed class LayeringTests
{
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Assemblies = new(() => new ArchLoader().LoadAssemblies(
        typeof(Kgent.Kernel.Agent.SynthesisLoop).Assembly,
        typeof(Kgent.Cli.KgentCli).Assembly,
        typeof(Kgent.Extension.KgentNotebook).Assembly,
        typeof(Kgent.Notebook.KgentSession).Assembly,
        typeof(Kgent.Jupyter.JupyterKernel).Assembly,
        System.Reflection.Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "kgent-charts", "Kgent.Charts.dll"))).Build());

    private static IEnumerable<IType> KgentTypes => Assemblies.Value.Types.Where(t => Namespace(t).StartsWith("Kgent.", StringComparison.Ordinal));

    [Fact]
    public void Every_type_belongs_to_a_layer()
    {
        var table = LayerTable.Read(LayerTable.PathInRepository);
        var homeless = KgentTypes.Select(Namespace).Distinct().Where(n => table.Of(n) is null).Order(StringComparer.Ordinal).ToList();
        Assert.True(homeless.Count == 0, $"namespaces in no layer of src/layers.md: {string.Join(", ", homeless)}");
        Assert.True(KgentTypes.Count() > 300, $"{KgentTypes.Count()} types read: the assemblies did not load");
    }

    [Fact]
    public void No_type_uses_a_layer_the_table_forbids()
    {
        var table = LayerTable.Read(LayerTable.PathInRepository);
        var forbidden = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in KgentTypes)
        {
            var from = table.Of(Namespace(type));
            foreach (var dependency in type.Dependencies)
            {
                var target = dependency.Target;
                if (target is null || !Namespace(target).StartsWith("Kgent.", StringComparison.Ordinal) || from is null || table.Of(Namespace(target)) is not { } to)
                {
                    continue;
                }

                if (!LayerTable.Allows(from, to))
                {
                    forbidden.Add($"{from.Name} -> {to.Name}: {type.FullName} uses {target.FullName}");
                }
            }
        }

        Assert.True(forbidden.Count == 0, $"{forbidden.Count} dependencies src/layers.md forbids:\n" + string.Join("\n", forbidden));
    }

    /// <summary>The prover boundary: the symbolic executor, the intent check and everything else speak Kgent's own terms
    /// (Kgent.Kernel.Symbolic.Terms); only these types touch Z3.</summary>
    [Fact]
    public void Only_the_prover_boundary_uses_Z3()
    {
        string[] boundary =
        [
            "Kgent.Kernel.Symbolic.SolverGateway", "Kgent.Kernel.Symbolic.Terms.Z3Terms", "Kgent.Kernel.Symbolic.Terms.TermModel",
            "Kgent.Kernel.Symbolic.Z3Runtime", "Kgent.Kernel.Symbolic.SymbolicVerifier", "Kgent.Kernel.Symbolic.QueryOutcome",
        ];
        var users = KgentTypes
            .Where(t => t.Dependencies.Any(d => d.Target is { } target && Namespace(target).StartsWith("Microsoft.Z3", StringComparison.Ordinal)))
            .Select(t => t.FullName)
            .ToList();
        Assert.Contains("Kgent.Kernel.Symbolic.Terms.Z3Terms", users);
        var outside = users.Where(u => !boundary.Any(b => u == b || u.StartsWith(b + "+", StringComparison.Ordinal) || u.StartsWith(b + "/", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(outside.Count == 0, "types outside the prover boundary that use Z3:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void The_table_catches_a_forbidden_dependency()
    {
        // The test's own check on a table that forbids what the code does: the front end may not use the checker.
        var path = Path.Combine(Path.GetTempPath(), $"kgent-layers-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, """
            | layer | namespaces | may use |
            |---|---|---|
            | front end | Kgent.Kernel.Bpftrace | |
            | checking | Kgent.Kernel.Semantics | |
            """);
        try
        {
            var table = LayerTable.Read(path);
            var semantics = table.Of("Kgent.Kernel.Semantics")!;
            var frontEnd = table.Of("Kgent.Kernel.Bpftrace.Parsing")!;
            Assert.False(LayerTable.Allows(semantics, frontEnd));
            Assert.Contains(KgentTypes.Where(t => Namespace(t) == "Kgent.Kernel.Semantics"), t => t.Dependencies.Any(d => d.Target is { } target && table.Of(Namespace(target)) == frontEnd));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Namespace(IType type) => type.Namespace?.FullName ?? string.Empty;
}
