using Kgent.Kernel.Bpftrace.Text;

namespace Kgent.Kernel.Bpftrace.Syntax;

/// <summary>Base of the immutable bpftrace syntax tree. Every node knows its source span and its children.</summary>
public abstract record SyntaxNode(TextSpan Span)
{
    public abstract IEnumerable<SyntaxNode> ChildNodes();

    public IEnumerable<SyntaxNode> DescendantNodesAndSelf()
    {
        var stack = new Stack<SyntaxNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            foreach (var child in node.ChildNodes().Reverse())
            {
                stack.Push(child);
            }
        }
    }
}
