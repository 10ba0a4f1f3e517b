using System.Diagnostics;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Symbolic;

/// <summary>The Z3 shim is in place next to the assemblies, and without it Kgent says what is wrong and how to fix it.</summary>
public sealed class Z3AvailabilityTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-noshim-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_shim_is_beside_the_assemblies_and_z3_loads()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libz3.so")), "libz3.so (the shim) was not copied to the output directory");
        Assert.StartsWith("4.", SymbolicVerifier.SolverVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_shim_symbex_reports_z3_missing_with_the_fix()
    {
        // A copy of the CLI with everything but the shim: .NET then finds no usable libz3 (or Debian's, lacking a symbol).
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory).Where(f => Path.GetFileName(f) != "libz3.so"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        File.Copy(Path.Combine(AppContext.BaseDirectory, "Kgent.Kernel.Tests.runtimeconfig.json"), Path.Combine(directory, "kgent.runtimeconfig.json"), overwrite: true);
        var program = Path.Combine(directory, "p.bt");
        File.WriteAllText(program, "BEGIN { assert(1 == 1); }\n");

        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "kgent.dll"), "symbex", program, "--catalog", Catalogs.SnapshotPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}: {error} {await output}");
        Assert.Contains("kgent: error: Z3 is not available", error, StringComparison.Ordinal);
        Assert.Contains("scripts/setup.sh", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
