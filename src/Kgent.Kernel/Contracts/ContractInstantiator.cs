using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.Probes;

namespace Kgent.Kernel.Contracts;

/// <summary>Turns a contract clause into an expression of the probe it applies to: a function parameter named in the
/// contract (<c>sk</c>) becomes <c>((struct sock *)arg0)</c> in a kprobe and <c>args->sk</c> in a kfunc, and named
/// constants (<c>AF_INET</c>) become their values.</summary>
public static class ContractInstantiator
{
    public static Expression Instantiate(Expression clause, ProbeType probeType, BtfFunctionProto? prototype, BtfTypeGraph? btf,
        IReadOnlyDictionary<string, long> constants) =>
        ExpressionRewriter.Rewrite(clause, node =>
        {
            // A parameter may share a builtin's name (kernel_clone's 'args'): in a function contract the parameter wins.
            var identifier = node switch
            {
                IdentifierExpression named => named,
                BuiltinExpression builtin when prototype?.Parameters.Any(p => p.Name == builtin.Name) == true => new IdentifierExpression(builtin.Name, builtin.Span),
                _ => null,
            };
            if (identifier is null)
            {
                return null;
            }

            for (var index = 0; prototype is not null && index < prototype.Parameters.Length; index++)
            {
                if (prototype.Parameters[index].Name == identifier.Name)
                {
                    return Parameter(identifier, index, prototype.Parameters[index], probeType, btf);
                }
            }

            if (constants.TryGetValue(identifier.Name, out var value))
            {
                return new IntegerLiteral(unchecked((ulong)value), value < 0, value.ToString(System.Globalization.CultureInfo.InvariantCulture), identifier.Span);
            }

            return null;
        });

    private static Expression Parameter(IdentifierExpression identifier, int index, BtfParameter parameter, ProbeType probeType, BtfTypeGraph? btf)
    {
        var span = identifier.Span;
        if (probeType is ProbeType.Kfunc or ProbeType.Kretfunc)
        {
            return new FieldAccessExpression(new BuiltinExpression("args", span), parameter.Name, true, span);
        }

        Expression argument = new BuiltinExpression("arg" + index, span);
        if (btf?.Resolve(parameter.Type) is BtfPointer pointer && btf.Resolve(pointer.Target) is BtfComposite composite && composite.Name.Length > 0)
        {
            return new CastExpression(new TypeSyntax(composite.Keyword + " " + composite.Name, 1), argument, span);
        }

        if (btf?.Resolve(parameter.Type) is BtfInt { IsSigned: true, Size: var size } && size < 8)
        {
            return new CastExpression(new TypeSyntax("int" + (size * 8), 0), argument, span);
        }

        if (btf?.Resolve(parameter.Type) is BtfInt { IsSigned: false, Size: var usize } && usize < 8)
        {
            return new CastExpression(new TypeSyntax("uint" + (usize * 8), 0), argument, span);
        }

        return argument;
    }
}
