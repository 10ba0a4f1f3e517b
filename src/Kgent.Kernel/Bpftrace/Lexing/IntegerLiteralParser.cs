using System.Globalization;

namespace Kgent.Kernel.Bpftrace.Lexing;

/// <summary>bpftrace integer literals: decimal with '_' separators (<c>1_000</c>), hex (<c>0x1f</c>),
/// octal (<c>010</c>), a decimal exponent (<c>5e3</c>), the C suffixes u, l, ul, ll, ull, and (bpftrace 0.24 and later)
/// the duration suffixes ns, us, ms, s, m, h and d, whose value is in nanoseconds.</summary>
public static class IntegerLiteralParser
{
    private static readonly string[] Suffixes = ["ull", "llu", "ul", "lu", "ll", "u", "l"];

    /// <summary>Each duration suffix and its length in nanoseconds, as bpftrace 0.24's CHANGELOG lists them.</summary>
    private static readonly (string Unit, ulong Nanoseconds)[] DurationUnits =
    [
        ("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000), ("d", 86_400_000_000_000),
    ];

    /// <summary>The duration unit of a literal such as <c>5ms</c>, or null when it has none.</summary>
    public static string? DurationUnit(string text)
    {
        if (text.Length < 2 || !char.IsAsciiDigit(text[0]) || text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var digits = 0;
        while (digits < text.Length && (char.IsAsciiDigit(text[digits]) || text[digits] == '_'))
        {
            digits++;
        }

        var unit = text[digits..];
        return DurationUnits.Any(d => d.Unit == unit) ? unit : null;
    }

    public static (ulong Value, string? Error, string? Hint) Parse(string text)
    {
        if (DurationUnit(text) is { } unit)
        {
            var (count, error, hint) = Parse(text[..^unit.Length]);
            var scale = DurationUnits.First(d => d.Unit == unit).Nanoseconds;
            return error is not null ? (0, error, hint)
                : count > ulong.MaxValue / scale ? (0, $"duration literal '{text}' does not fit in 64 bits of nanoseconds", null)
                : (count * scale, null, null);
        }

        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            var digits = StripSuffix(text[2..], hex: true, out var hexSuffixError);
            if (hexSuffixError is not null || digits.Length == 0 || !digits.All(Uri.IsHexDigit))
            {
                return (0, $"invalid hexadecimal literal '{text}'", "hex digits are 0-9 and a-f, e.g. 0x1f");
            }

            return ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)
                ? (hex, null, null)
                : (0, $"integer literal '{text}' does not fit in 64 bits", null);
        }

        var body = StripSuffix(text, hex: false, out var suffixError);
        if (suffixError is not null)
        {
            return (0, suffixError, SuffixHint(text));
        }

        var exponent = 0;
        var e = body.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(body[(e + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out exponent) || exponent > 19)
            {
                return (0, $"invalid exponent in integer literal '{text}'", "write the exponent as digits, e.g. 5e3");
            }

            body = body[..e];
        }

        if (body.StartsWith('_') || body.EndsWith('_') || body.Contains("__", StringComparison.Ordinal))
        {
            return (0, $"misplaced '_' in integer literal '{text}'", "'_' may only separate digits, e.g. 1_000_000");
        }

        var digitsOnly = body.Replace("_", string.Empty, StringComparison.Ordinal);
        if (digitsOnly.Length == 0 || !digitsOnly.All(char.IsAsciiDigit))
        {
            return (0, $"invalid integer literal '{text}'", null);
        }

        var isOctal = digitsOnly.Length > 1 && digitsOnly[0] == '0' && e < 0;
        UInt128 value = 0;
        foreach (var c in digitsOnly)
        {
            var digit = (uint)(c - '0');
            if (isOctal && digit > 7)
            {
                return (0, $"invalid digit '{c}' in octal literal '{text}'", "a leading 0 makes the literal octal; drop it for decimal");
            }

            value = (value * (isOctal ? 8u : 10u)) + digit;
            if (value > ulong.MaxValue)
            {
                return (0, $"integer literal '{text}' does not fit in 64 bits", null);
            }
        }

        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
            if (value > ulong.MaxValue)
            {
                return (0, $"integer literal '{text}' does not fit in 64 bits", null);
            }
        }

        return ((ulong)value, null, null);
    }

    private static string StripSuffix(string body, bool hex, out string? error)
    {
        error = null;
        var firstLetter = 0;
        while (firstLetter < body.Length && !IsSuffixStart(body, firstLetter, hex))
        {
            firstLetter++;
        }

        if (firstLetter == body.Length)
        {
            return body;
        }

        var suffix = body[firstLetter..];
        if (!Suffixes.Contains(suffix.ToLowerInvariant()))
        {
            error = $"invalid suffix '{suffix}' on integer literal";
        }

        return body[..firstLetter];
    }

    /// <summary>A character that is not part of the number itself (hex digits and a decimal exponent are).</summary>
    private static bool IsSuffixStart(string body, int index, bool hex)
    {
        var c = body[index];
        if (char.IsAsciiDigit(c) || c == '_' || (hex && Uri.IsHexDigit(c)))
        {
            return false;
        }

        var isExponent = !hex && c is 'e' or 'E' && index > 0 && index + 1 < body.Length && char.IsAsciiDigit(body[index + 1]);
        return !isExponent;
    }

    private static string SuffixHint(string text)
    {
        if (text.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
        {
            return "bpftrace 0.17 has no binary literals; write the value in hex, e.g. 0x5";
        }

        var lower = text.ToLowerInvariant();
        return lower.EndsWith("ns", StringComparison.Ordinal) || lower.EndsWith("us", StringComparison.Ordinal) || lower.EndsWith("ms", StringComparison.Ordinal) || lower.EndsWith('s')
            ? "duration suffixes are ns, us, ms, s, m, h and d, after decimal digits, e.g. 5ms"
            : "valid integer suffixes are u, l, ul, ll and ull";
    }
}
