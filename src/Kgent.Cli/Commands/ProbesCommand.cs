using Kgent.Cli.Output;
using Kgent.Kernel.Composition;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent probes [PATTERN] [--verbose] [--all] [--host] [--catalog F] [--json]</c>: lists probes like
/// <c>bpftrace -l</c>, or with <c>--host</c> reports which probe types this kernel can attach and why not.</summary>
public static class ProbesCommand
{
    public static int Run(string? pattern, bool host, bool verbose, bool all, string? catalogPath, bool json, TextWriter output, TextWriter error, ConsoleStyle style)
    {
        using var workbench = CliWorkbench.Open(new WorkbenchOptions(Catalog: catalogPath), error, style);
        return CliWorkbench.Run(error, () =>
            host ? Host(workbench.Catalog, json, output, style) : List(workbench.Catalog, pattern, verbose, all, json, output, error));
    }

    private static int Host(ProbeCatalog catalog, bool json, TextWriter output, ConsoleStyle style)
    {
        var info = catalog.Host;
        // The language programs are checked against on this catalog: its bpftrace's release.
        var target = Kgent.Kernel.KernelInfo.Host.Bpftrace.BpftraceTarget.Resolve(null, null, out _, info.BpftraceVersion)?.Describe();
        if (json)
        {
            Json.Write(output, new { catalog = catalog.Source, info.KernelRelease, info.Machine, info.BtfPath, info.TracingDirectory, info.BpftraceVersion, target,
                tracepoints = catalog.TracepointCount, btfTypes = catalog.Btf?.Count ?? 0, kernelFunctions = catalog.Btf?.Functions.Count() ?? 0,
                probeTypes = info.ProbeTypes.Select(p => new { type = Kgent.Kernel.Probes.ProbeTypeInfo.Of(p.Type).Name, p.Supported, p.Reason }) });
            return 0;
        }

        output.WriteLine($"kernel {info.KernelRelease} ({info.Machine}), from {catalog.Source}");
        output.WriteLine($"  BTF:        {(info.BtfPath is null ? style.Warning("none") : $"{info.BtfPath} ({catalog.Btf?.Count ?? 0:N0} types, {catalog.Btf?.Functions.Count() ?? 0:N0} functions)")}");
        output.WriteLine($"  tracefs:    {(info.TracingDirectory is null ? style.Warning("not mounted") : $"{info.TracingDirectory} ({catalog.TracepointCount:N0} tracepoints)")}");
        output.WriteLine($"  bpftrace:   {info.BpftraceVersion ?? "not installed"}");
        output.WriteLine($"  language:   {target ?? "unknown"}");
        output.WriteLine();
        output.WriteLine("probe types:");
        foreach (var support in info.ProbeTypes)
        {
            var name = Kgent.Kernel.Probes.ProbeTypeInfo.Of(support.Type).Name;
            var mark = support.Supported ? style.Good("yes") : style.Error("no ");
            output.WriteLine($"  {name,-16} {mark}  {style.Dim(support.Reason)}");
        }

        return 0;
    }

    private static int List(ProbeCatalog catalog, string? pattern, bool verbose, bool all, bool json, TextWriter output, TextWriter error)
    {
        var probes = catalog.ListProbes(pattern, all).ToList();
        if (json)
        {
            Json.Write(output, probes.Select(p => new { probe = p, fields = verbose ? Fields(catalog, p) : null }));
        }
        else
        {
            foreach (var probe in probes)
            {
                output.WriteLine(probe);
                if (verbose)
                {
                    foreach (var field in Fields(catalog, probe) ?? [])
                    {
                        output.WriteLine($"    {field}");
                    }
                }
            }
        }

        if (probes.Count == 0 && !json)
        {
            var hint = all ? string.Empty : " (probe types this host cannot attach are hidden; add --all to include them)";
            error.WriteLine($"kgent: no probes match '{pattern}'{hint}");
        }

        return probes.Count == 0 ? 1 : 0;
    }

    internal static IReadOnlyList<string>? Fields(ProbeCatalog catalog, string probe)
    {
        var parts = probe.Split(':');
        if (parts[0] == "tracepoint" && parts.Length == 3)
        {
            return catalog.FindTracepoint(parts[1], parts[2])?.Fields.Select(f => f.Declaration).ToList();
        }

        if ((parts[0] is "kprobe" or "kfunc") && parts.Length == 2 && catalog.Btf is { } btf && btf.FindFunction(parts[1]) is { } function
            && btf.PrototypeOf(function) is { } proto)
        {
            return [.. proto.Parameters.Select(p => $"{btf.Format(p.Type)} {p.Name}"), $"{btf.Format(proto.ReturnType)} retval"];
        }

        return null;
    }
}
