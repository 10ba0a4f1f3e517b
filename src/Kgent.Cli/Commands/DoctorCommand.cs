using Kgent.Cli.Output;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Processes;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent doctor [--clean] [--json]</c>: is this host ready to load and run programs? One line per requirement,
/// each missing one with the command that fixes it, then what earlier Kgent runs left behind (processes that outlived
/// their Kgent, temporary folders; see <see cref="ChildRegistry"/>), which <c>--clean</c> stops and removes. Exit 0 when
/// everything is in place and nothing is left behind.</summary>
public static class DoctorCommand
{
    public static int Run(bool clean, bool json, TextWriter output, ConsoleStyle style, string? bpftrace = null)
    {
        var checks = HostReadiness.Check(new ReadinessOptions(BpftracePath: bpftrace)).ToList();
        // The language programs are checked against: the release that bpftrace reports.
        var target = Kgent.Kernel.KernelInfo.Host.Bpftrace.BpftraceTarget.Resolve(bpftrace, null, out var targetProblem);
        checks.Add(new ReadinessCheck("bpftrace language", target is not null, target?.Describe() ?? targetProblem ?? "unknown",
            target is null ? "name a bpftrace that runs with --bpftrace or KGENT_BPFTRACE" : null));
        var z3 = SymbolicVerifier.SolverVersion;
        var z3Ok = z3.StartsWith('4');
        checks.Add(new ReadinessCheck("Z3 (symbolic verifier)", z3Ok, z3Ok ? $"native Z3 {z3}" : z3, z3Ok ? null : "run scripts/setup.sh (builds the libz3.so shim)"));
        checks.Add(GuardBinary.Path is { } guard
            ? new ReadinessCheck("process guard", true, $"{guard}: bpftrace and workloads die with Kgent, however it ends", null)
            : new ReadinessCheck("process guard", false, $"{GuardBinary.Problem}; children are killed when Kgent exits or is interrupted, but a SIGKILL to Kgent leaves them running",
                "run scripts/setup.sh"));

        checks.AddRange(Kgent.Kernel.Libbpf.Toolchain.CReadiness.Check());

        var registry = ChildRegistry.Default;
        var found = registry.Leftovers();
        foreach (var stale in found.Where(l => !l.NeedsCleaning))
        {
            ChildRegistry.Clean(stale); // only the record is left: nothing to report
        }

        var leftovers = found.Where(l => l.NeedsCleaning).ToList();
        var cleaned = clean ? leftovers.Select(ChildRegistry.Clean).ToList() : [];
        checks.Add(leftovers.Count == 0
            ? new ReadinessCheck("leftovers", true, $"nothing left behind by earlier runs ({registry.Directory})", null)
            : new ReadinessCheck("leftovers", clean, clean
                    ? $"cleaned up {leftovers.Count} leftover{(leftovers.Count == 1 ? "" : "s")} of earlier runs: " + string.Join("; ", cleaned)
                    : $"{leftovers.Count} leftover{(leftovers.Count == 1 ? "" : "s")} of earlier runs: " + string.Join("; ", leftovers.Select(l => l.Describe())),
                clean ? null : "kgent doctor --clean (kills them and removes their folders)"));
        if (json)
        {
            Json.Write(output, checks);
        }
        else
        {
            foreach (var check in checks)
            {
                output.WriteLine($"{(check.Ok ? style.Good("ok  ") : style.Error("FAIL"))} {check.Name,-24} {check.Detail}");
                if (check.Fix is { } fix)
                {
                    output.WriteLine($"     {"",-24} fix: {fix}");
                }
            }

            var failed = checks.Count(c => !c.Ok);
            output.WriteLine(failed == 0 ? style.Good("this host is ready") : style.Error($"{failed} requirement{(failed == 1 ? " is" : "s are")} missing"));
        }

        return checks.All(c => c.Ok) ? 0 : 1;
    }
}
