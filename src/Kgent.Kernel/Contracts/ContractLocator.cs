namespace Kgent.Kernel.Contracts;

/// <summary>Finds the project's contract dataset when no directory is given: <c>KGENT_CONTRACTS</c>, else the nearest
/// <c>datasets/contracts</c> above the current directory, the application or Kgent.Kernel.dll (whose NuGet
/// package carries the datasets two folders above it).</summary>
public static class ContractLocator
{
    public const string EnvironmentVariable = "KGENT_CONTRACTS";

    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(typeof(ContractLocator).Assembly.Location) ?? string.Empty }.Where(s => s.Length > 0))
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "datasets", "contracts");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Another of the project's datasets, <c>datasets/NAME</c> beside the contracts (<c>ebpfnl</c>, <c>eval</c>);
    /// null when the contracts or that folder are not found.</summary>
    public static string? FindDataset(string name) =>
        Find() is { } contracts && Path.Combine(Path.GetDirectoryName(Path.GetFullPath(contracts).TrimEnd(Path.DirectorySeparatorChar))!, name) is var dataset && Directory.Exists(dataset)
            ? dataset : null;
}
