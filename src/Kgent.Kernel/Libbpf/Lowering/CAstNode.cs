using System.Collections.Immutable;

namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>One node of clang's syntax tree of a C function, as much of it as Kgent reads: its kind (<c>MemberExpr</c>,
/// <c>IfStmt</c>...), the attributes clang gives it, the declaration it refers to, and where it is in the program (the
/// line and column of its first token, or of the macro use it comes from; 0 when it is not in the program's own file).</summary>
public sealed record CAstNode(string Kind, ImmutableArray<CAstNode> Inner)
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The type as written (<c>qualType</c>), e.g. <c>__u16</c> or <c>struct sock *</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The type with its typedefs resolved, when clang gives it (<c>unsigned short</c> for <c>__u16</c>).</summary>
    public string? DesugaredType { get; init; }

    public string? Opcode { get; init; }

    public string? Value { get; init; }

    public string? CastKind { get; init; }

    public bool IsArrow { get; init; }

    public bool IsPostfix { get; init; }

    public string? StorageClass { get; init; }

    /// <summary>The declaration a <c>DeclRefExpr</c> names: its id, kind (<c>VarDecl</c>, <c>ParmVarDecl</c>,
    /// <c>EnumConstantDecl</c>, <c>FunctionDecl</c>) and name.</summary>
    public CAstReference? Referenced { get; init; }

    public int Line { get; init; }

    public int Column { get; init; }

    /// <summary>The line of the node's last token (a function's closing brace).</summary>
    public int EndLine { get; init; }

    /// <summary>Whether the node was written in a macro's body (BPF_CORE_READ's inner reads), not in the program.</summary>
    public bool FromMacro { get; init; }

    public CAstNode this[int index] => Inner[index];

    /// <summary>The node with parentheses and casts that change neither value nor meaning taken away.</summary>
    public CAstNode Bare()
    {
        var node = this;
        while (node is { Kind: "ParenExpr", Inner.Length: 1 }
               || node is { Kind: "ImplicitCastExpr" or "CStyleCastExpr", CastKind: "LValueToRValue" or "NoOp" or "BitCast" or "ArrayToPointerDecay" or "FunctionToPointerDecay" or "BuiltinFnToFnPtr", Inner.Length: 1 })
        {
            node = node.Inner[0];
        }

        return node;
    }

    public IEnumerable<CAstNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in Inner)
        {
            foreach (var node in child.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }
}

/// <summary>The declaration a name refers to.</summary>
public sealed record CAstReference(string Id, string Kind, string Name, string? Type);
