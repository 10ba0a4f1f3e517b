using System.Collections.Immutable;
using System.Text;

namespace Kgent.Kernel.KernelInfo.Btf;

/// <summary>All types of one BTF blob, with the lookups a checker needs: structs and unions by name, typedefs,
/// functions with their prototypes, enum constants, field resolution through anonymous members, and C spelling.
/// Read whole (<see cref="BtfReader.Read"/>, every reference checked), or lazily (<see cref="BtfReader.ReadLazy"/>: a type
/// is decoded when it is first asked for, and each index by name is built when first used from the kinds and names
/// alone). Safe to share between threads.</summary>
public sealed class BtfTypeGraph
{
    private readonly ImmutableArray<BtfType> eager;
    private readonly BtfLazyTypes? lazy;
    private readonly Lazy<ImmutableArray<BtfType>> all;
    private readonly Lazy<Dictionary<string, int>> structs;
    private readonly Lazy<Dictionary<string, int>> unions;
    private readonly Lazy<Dictionary<string, int>> typedefs;
    private readonly Lazy<Dictionary<string, int>> functions;
    private readonly Lazy<Dictionary<string, BtfEnumValue>> constants;

    public BtfTypeGraph(ImmutableArray<BtfType> types)
        : this(types, null)
    {
    }

    internal BtfTypeGraph(BtfLazyTypes types)
        : this([], types)
    {
    }

    private BtfTypeGraph(ImmutableArray<BtfType> types, BtfLazyTypes? lazyTypes)
    {
        eager = types;
        lazy = lazyTypes;
        all = new(() => lazy is null ? eager : [.. Enumerable.Range(0, lazy.Count).Select(lazy.Get)]);
        structs = new(() => Names(BtfKind.Struct));
        unions = new(() => Names(BtfKind.Union));
        typedefs = new(() => Names(BtfKind.Typedef));
        functions = new(() => Names(BtfKind.Function));
        constants = new(() =>
        {
            var values = new Dictionary<string, BtfEnumValue>(StringComparer.Ordinal);
            for (var id = 1; id < Count; id++)
            {
                if (KindOf(id) is BtfKind.Enum or BtfKind.Enum64 && this[id] is BtfEnum enumeration)
                {
                    foreach (var value in enumeration.Values)
                    {
                        values.TryAdd(value.Name, value);
                    }
                }
            }

            return values;
        });
    }

    /// <summary>Every type (each decoded, in a lazy graph).</summary>
    public ImmutableArray<BtfType> Types => all.Value;

    public int Count => lazy?.Count ?? eager.Length;

    public BtfType this[int id] => id >= 0 && id < Count ? lazy?.Get(id) ?? eager[id] : throw new ArgumentOutOfRangeException(nameof(id), $"no BTF type #{id}");

    public IEnumerable<BtfFunction> Functions => functions.Value.Values.Select(id => (BtfFunction)this[id]);

    public IEnumerable<BtfComposite> Composites => structs.Value.Values.Concat(unions.Value.Values).Select(id => (BtfComposite)this[id]);

    public IEnumerable<string> EnumConstantNames => constants.Value.Keys;

    public BtfFunction? FindFunction(string name) => functions.Value.TryGetValue(name, out var id) ? (BtfFunction)this[id] : null;

    public BtfFunctionProto? PrototypeOf(BtfFunction function) => this[function.Prototype] as BtfFunctionProto;

    public BtfTypedef? FindTypedef(string name) => typedefs.Value.TryGetValue(name, out var id) ? (BtfTypedef)this[id] : null;

    public BtfEnumValue? FindEnumConstant(string name) => constants.Value.GetValueOrDefault(name);

    /// <summary>A complete struct (or union when <paramref name="union"/>) by its tag name, without the keyword.</summary>
    public BtfComposite? FindComposite(string name, bool union = false) =>
        (union ? unions : structs).Value.TryGetValue(name, out var id) ? (BtfComposite)this[id] : null;

    public IEnumerable<string> CompositeNames(bool union = false) => (union ? unions : structs).Value.Keys;

    private BtfKind KindOf(int id) => lazy?.KindOf(id) ?? eager[id].Kind;

    private string NameOf(int id) => lazy?.NameOf(id) ?? eager[id].Name;

    /// <summary>Named types of one kind by name, the first of each name (plain dictionaries: building frozen ones for ~100k
    /// names costs more than all the lookups a check makes).</summary>
    private Dictionary<string, int> Names(BtfKind kind)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 1; id < Count; id++)
        {
            if (KindOf(id) == kind && NameOf(id) is { Length: > 0 } name)
            {
                names.TryAdd(name, id);
            }
        }

        return names;
    }

    /// <summary>The type with typedefs, const/volatile/restrict and type tags removed.</summary>
    public BtfType Resolve(int id)
    {
        var type = this[id];
        for (var guard = 0; guard < 64; guard++)
        {
            switch (type)
            {
                case BtfTypedef typedef:
                    type = this[typedef.Target];
                    break;
                case BtfModifier modifier:
                    type = this[modifier.Target];
                    break;
                default:
                    return type;
            }
        }

        return type;
    }

    /// <summary>Finds <paramref name="name"/> in a struct or union, looking through anonymous members.</summary>
    public BtfField? FindField(BtfComposite composite, string name) =>
        Fields(composite).FirstOrDefault(field => field.Name == name);

    /// <summary>Every named field of a struct or union, anonymous members flattened, in declaration order.</summary>
    public IEnumerable<BtfField> Fields(BtfComposite composite) => Fields(composite, 0, 0);

    private IEnumerable<BtfField> Fields(BtfComposite composite, int baseOffset, int depth)
    {
        foreach (var member in composite.Members)
        {
            if (member.Name.Length > 0)
            {
                yield return new BtfField(member.Name, member.Type, baseOffset + member.BitOffset, member.BitfieldSize);
            }
            else if (depth < 32 && Resolve(member.Type) is BtfComposite inner)
            {
                foreach (var field in Fields(inner, baseOffset + member.BitOffset, depth + 1))
                {
                    yield return field;
                }
            }
        }
    }

    /// <summary>The size in bytes of a type, as <c>sizeof</c> would give it (pointers are 8 bytes).</summary>
    public long SizeOf(int id)
    {
        return Resolve(id) switch
        {
            BtfInt i => i.Size,
            BtfPointer => 8,
            BtfComposite c => c.Size,
            BtfEnum e => e.Size,
            BtfFloat f => f.Size,
            BtfArray a => a.Count * SizeOf(a.ElementType),
            _ => 0,
        };
    }

    /// <summary>The C spelling of a type, e.g. <c>struct sock *</c>, <c>const char *</c>, <c>__u8[16]</c>.</summary>
    public string Format(int id)
    {
        var builder = new StringBuilder();
        Format(id, builder, 0);
        return builder.ToString();
    }

    private void Format(int id, StringBuilder builder, int depth)
    {
        if (depth > 32)
        {
            builder.Append('…');
            return;
        }

        switch (this[id])
        {
            case BtfVoid:
                builder.Append("void");
                break;
            case BtfPointer pointer:
                Format(pointer.Target, builder, depth + 1);
                builder.Append(builder.Length > 0 && builder[^1] == '*' ? "*" : " *");
                break;
            case BtfArray array:
                Format(array.ElementType, builder, depth + 1);
                builder.Append('[').Append(array.Count).Append(']');
                break;
            case BtfComposite composite:
                builder.Append(composite.Keyword).Append(' ').Append(composite.IsAnonymous ? "(anonymous)" : composite.Name);
                break;
            case BtfForward forward:
                builder.Append(forward.IsUnion ? "union " : "struct ").Append(forward.Name);
                break;
            case BtfEnum enumeration:
                builder.Append("enum ").Append(enumeration.IsAnonymous ? "(anonymous)" : enumeration.Name);
                break;
            case BtfModifier { ModifierKind: BtfKind.Const } modifier:
                builder.Append("const ");
                Format(modifier.Target, builder, depth + 1);
                break;
            case BtfModifier { ModifierKind: BtfKind.Volatile } modifier:
                builder.Append("volatile ");
                Format(modifier.Target, builder, depth + 1);
                break;
            case BtfModifier modifier:
                Format(modifier.Target, builder, depth + 1);
                break;
            case BtfFunctionProto proto:
                Format(proto.ReturnType, builder, depth + 1);
                builder.Append(" (*)(");
                builder.AppendJoin(", ", proto.Parameters.Select(p => Format(p.Type)));
                builder.Append(')');
                break;
            case var other:
                builder.Append(other.Name.Length > 0 ? other.Name : other.Kind.ToString());
                break;
        }
    }

    /// <summary>Checks that every type reference points at an existing type, so later lookups cannot fail.</summary>
    internal void Validate()
    {
        foreach (var type in Types)
        {
            foreach (var reference in References(type))
            {
                if (reference < 0 || reference >= Types.Length)
                {
                    throw new BtfFormatException(
                        $"type #{type.Id} ({type.Kind} '{type.Name}') refers to type #{reference}, but there are only {Types.Length} types (corrupt or truncated BTF)");
                }
            }
        }
    }

    private static IEnumerable<int> References(BtfType type) => type switch
    {
        BtfPointer p => [p.Target],
        BtfArray a => [a.ElementType, a.IndexType],
        BtfComposite c => c.Members.Select(m => m.Type),
        BtfTypedef t => [t.Target],
        BtfModifier m => [m.Target],
        BtfFunction f => [f.Prototype],
        BtfFunctionProto p => p.Parameters.Select(x => x.Type).Prepend(p.ReturnType),
        BtfVariable v => [v.Type],
        BtfDataSection d => d.Variables.Select(v => v.Type),
        BtfDeclTag d => [d.Target],
        _ => [],
    };
}
