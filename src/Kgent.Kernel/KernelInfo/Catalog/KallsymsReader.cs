namespace Kgent.Kernel.KernelInfo.Catalog;

/// <summary>Reads the names of kernel data symbols (types d, D, b, B, r, R) from <c>/proc/kallsyms</c>. Function
/// symbols are not kept: BTF lists the functions with their prototypes.</summary>
public static class KallsymsReader
{
    public static IReadOnlyList<string> ReadDataSymbols(string path = "/proc/kallsyms")
    {
        var names = new List<string>();
        try
        {
            if (!File.Exists(path))
            {
                return names;
            }

            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 3 && parts[1].Length == 1 && "dDbBrR".Contains(parts[1][0]))
                {
                    names.Add(parts[2]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable kallsyms leaves the set empty; kaddr() checks then only see functions.
        }

        return names;
    }
}
