namespace Kgent.Kernel.Contracts;

/// <summary>A fact about one value of the hook that the comprehension stage can quote and a counterexample can show:
/// units, byte order, nullability. <see cref="Subject"/> is an expression such as <c>sk->__sk_common.skc_dport</c>.</summary>
public sealed record ContractNote(string Subject, string Text, ContractLocation Location)
{
    /// <summary>The last field or parameter name of the subject (<c>skc_dport</c>), used to find notes relevant to an expression.</summary>
    public string Key
    {
        get
        {
            var end = Subject.Length;
            while (end > 0 && !(char.IsAsciiLetterOrDigit(Subject[end - 1]) || Subject[end - 1] == '_'))
            {
                end--;
            }

            var start = end;
            while (start > 0 && (char.IsAsciiLetterOrDigit(Subject[start - 1]) || Subject[start - 1] == '_'))
            {
                start--;
            }

            return Subject[start..end];
        }
    }
}
