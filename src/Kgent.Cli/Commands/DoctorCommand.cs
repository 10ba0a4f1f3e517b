using Kgent.Cli.Output;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Symbolic;

namespace Kgent.Cli.Commands;

/// <summary><c>kgent doctor [--json]</c>: is this host ready to load and run programs? One line per requirement, each
/// missing one with the command that fixes it. Exit 0 when everything is in place.</summary>
public static class DoctorCommand
{
    public static int Run(bool json, TextWriter output, ConsoleStyle style)
    {
        var checks = HostReadiness.Check().ToList();
        var z3 = SymbolicVerifier.SolverVersion;
        var z3Ok = z3.StartsWith('4');
        checks.Add(new ReadinessCheck("Z3 (symbolic verifier)", z3Ok, z3Ok ? $"native Z3 {z3}" : z3, z3Ok ? null : "run scripts/setup.sh (builds the libz3.so shim)"));
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
