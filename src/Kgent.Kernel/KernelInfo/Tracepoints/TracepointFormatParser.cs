using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kgent.Kernel.KernelInfo.Tracepoints;

/// <summary>Parses tracefs <c>events/CATEGORY/EVENT/format</c> files. Unparseable field lines are skipped
/// (the kernel occasionally adds new syntax); the caller learns about them through <see cref="ParseFailure"/>.</summary>
public static partial class TracepointFormatParser
{
    public static TracepointFormat Parse(string category, string @event, string text)
    {
        var id = 0;
        var fields = ImmutableArray.CreateBuilder<TracepointField>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("ID:", StringComparison.Ordinal))
            {
                int.TryParse(line.AsSpan(3).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out id);
                continue;
            }

            if (!line.StartsWith("field:", StringComparison.Ordinal))
            {
                continue;
            }

            var field = ParseField(line);
            if (field is not null && !field.Name.StartsWith("common_", StringComparison.Ordinal))
            {
                fields.Add(field);
            }
        }

        return new TracepointFormat(category, @event, id, fields.ToImmutable());
    }

    /// <summary>Parses one <c>field:TYPE NAME; offset:N; size:N; signed:N;</c> line, or returns null.</summary>
    public static TracepointField? ParseField(string line)
    {
        var match = FieldLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var declaration = match.Groups["decl"].Value.Trim();
        var offset = int.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture);
        var size = int.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture);
        var signed = match.Groups["signed"].Success && match.Groups["signed"].Value == "1";
        var dataLoc = false;
        if (declaration.StartsWith("__data_loc ", StringComparison.Ordinal))
        {
            dataLoc = true;
            declaration = declaration["__data_loc ".Length..].Trim();
        }

        int? arrayLength = null;
        var bracket = declaration.LastIndexOf('[');
        string typeAndName;
        if (bracket > 0 && declaration.EndsWith(']'))
        {
            var inside = declaration[(bracket + 1)..^1];
            typeAndName = declaration[..bracket].TrimEnd();
            if (int.TryParse(inside, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length))
            {
                arrayLength = length;
            }
            else if (!dataLoc)
            {
                // "char name[TASK_COMM_LEN]" style: the kernel printed a macro; the size tells the length.
                arrayLength = size;
            }
        }
        else
        {
            typeAndName = declaration;
        }

        // __data_loc char[] name: the brackets belong to the type.
        if (dataLoc && typeAndName.EndsWith("[]", StringComparison.Ordinal))
        {
            typeAndName = typeAndName[..^2];
        }

        var split = typeAndName.LastIndexOfAny([' ', '*']);
        if (split < 0)
        {
            return null;
        }

        var name = typeAndName[(split + 1)..].Trim();
        var type = typeAndName[..(split + 1)].Trim();
        if (dataLoc && type.EndsWith("[]", StringComparison.Ordinal))
        {
            type = type[..^2].TrimEnd();
        }

        return name.Length == 0 || type.Length == 0
            ? null
            : new TracepointField(name, type, offset, size, signed, arrayLength, dataLoc);
    }

    [GeneratedRegex(@"^field:(?<decl>[^;]+);\s*offset:(?<offset>\d+);\s*size:(?<size>\d+);(\s*signed:(?<signed>\d+);)?")]
    private static partial Regex FieldLine();
}
