using System.Globalization;

namespace Kgent.Kernel.Symbolic;

/// <summary>One named value in a counterexample: an input, a variable or a sub-expression. Integers keep their bits so they
/// can be shown in hex and decimal with their signedness; strings keep their text.</summary>
public sealed record ModelValue(string Name, ulong? Bits, int Width, bool Signed, string? Text)
{
    public static ModelValue Integer(string name, ulong bits, int width, bool signed) => new(name, bits, width, signed, null);

    public static ModelValue String(string name, string text) => new(name, null, 0, false, text);

    public static ModelValue Opaque(string name, string description) => new(name, null, 0, false, description);

    /// <summary>The value as decimal, honouring the signedness (for the 64-bit two's complement representation).</summary>
    public string Decimal => Bits is not { } bits ? Text ?? string.Empty
        : Signed ? unchecked((long)bits).ToString(CultureInfo.InvariantCulture) : bits.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>0x5000 (20480)</c> for integers, a quoted string for strings.</summary>
    public string Display
    {
        get
        {
            if (Bits is not { } bits)
            {
                return Text is null ? "?" : Text.StartsWith('<') ? Text : Quote(Text);
            }

            var masked = Width is > 0 and < 64 ? bits & ((1UL << Width) - 1) : bits;
            var hex = "0x" + masked.ToString("x", CultureInfo.InvariantCulture);
            return hex == "0x" + Decimal ? hex : $"{hex} ({Decimal})";
        }
    }

    public override string ToString() => $"{Name} = {Display}";

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
