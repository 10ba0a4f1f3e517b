using System.Globalization;

namespace Kgent.Cli.Commands;

/// <summary>The range check every numeric option gets: a value outside it is a usage error (exit 2) that says the range,
/// never a silently odd run ("within -1 s").</summary>
internal static class NumericOption
{
    /// <summary>True when <paramref name="value"/> is absent or within [min, max]; otherwise writes the error.</summary>
    public static bool InRange(TextWriter error, string name, int? value, int min, int max, string unit)
    {
        if (value is not { } given || (given >= min && given <= max))
        {
            return true;
        }

        error.WriteLine($"kgent: error: {name} {given.ToString(CultureInfo.InvariantCulture)} is out of range: give {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)} {unit}");
        return false;
    }
}
