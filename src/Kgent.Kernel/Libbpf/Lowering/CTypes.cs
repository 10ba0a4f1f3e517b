using System.Text.RegularExpressions;

namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>What the lowering needs of a C type as clang writes it: its width in bits, its signedness, and bpftrace's
/// name for it.</summary>
internal static partial class CTypes
{
    private static readonly Dictionary<string, int> Widths = new(StringComparer.Ordinal)
    {
        ["char"] = 8, ["signed char"] = 8, ["unsigned char"] = 8, ["__u8"] = 8, ["u8"] = 8, ["__s8"] = 8, ["s8"] = 8, ["_Bool"] = 8, ["bool"] = 8,
        ["short"] = 16, ["unsigned short"] = 16, ["__u16"] = 16, ["u16"] = 16, ["__s16"] = 16, ["s16"] = 16, ["__be16"] = 16, ["__le16"] = 16,
        ["__sum16"] = 16, ["sa_family_t"] = 16, ["__kernel_sa_family_t"] = 16,
        ["int"] = 32, ["unsigned int"] = 32, ["unsigned"] = 32, ["__u32"] = 32, ["u32"] = 32, ["__s32"] = 32, ["s32"] = 32, ["__be32"] = 32,
        ["__le32"] = 32, ["pid_t"] = 32, ["uid_t"] = 32, ["gid_t"] = 32, ["__kernel_pid_t"] = 32, ["__kernel_uid32_t"] = 32,
    };

    /// <summary>The width of an integer type (64 for long, pointers and types the table does not know).</summary>
    public static int Bits(string? type) => type is null || type.Contains('*', StringComparison.Ordinal) ? 64 : Widths.GetValueOrDefault(Plain(type), 64);

    public static bool IsInteger(string? type) =>
        type is not null && !type.Contains('*', StringComparison.Ordinal) && !type.Contains('[', StringComparison.Ordinal) && !Plain(type).StartsWith("struct ", StringComparison.Ordinal);

    public static bool IsUnsigned(string? type)
    {
        var plain = Plain(type ?? string.Empty);
        return plain.StartsWith("unsigned", StringComparison.Ordinal) || plain.StartsWith("__u", StringComparison.Ordinal) || plain.StartsWith("__be", StringComparison.Ordinal)
               || plain.StartsWith("__le", StringComparison.Ordinal) || plain is "u8" or "u16" or "u32" or "u64" or "size_t" or "bool" or "_Bool" or "sa_family_t";
    }

    /// <summary>bpftrace's integer type of the same width and signedness (<c>uint16</c> for <c>__u16</c>).</summary>
    public static string Bpftrace(string? type) => $"{(IsUnsigned(type) ? "uint" : "int")}{Bits(type)}";

    /// <summary><c>struct sock *</c> for a pointer to a named struct, else null.</summary>
    public static string? StructPointer(string? type) =>
        type is not null && StructPointerPattern().Match(type) is { Success: true } match ? $"struct {match.Groups[1].Value} *" : null;

    private static string Plain(string type) => type.Replace("const ", string.Empty, StringComparison.Ordinal).Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"^(?:const\s+)?struct\s+(\w+)\s*\*$", RegexOptions.CultureInvariant)]
    private static partial Regex StructPointerPattern();
}
