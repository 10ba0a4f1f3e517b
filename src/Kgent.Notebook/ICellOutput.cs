namespace Kgent.Notebook;

/// <summary>Where a notebook host shows what a <c>#!kgent</c> cell produced: the .NET Interactive kernel writes to its
/// invocation context, the native Jupyter kernel to its IOPub channel.</summary>
public interface ICellOutput
{
    /// <summary>A stage's result: a record the <see cref="Html.ResultViews"/> draw, or a markdown string.</summary>
    void Show(object result);

    /// <summary>A long stage's progress, one line updated in place.</summary>
    void Progress(string text);

    /// <summary>The cell failed: a message that says what to do (never a stack trace).</summary>
    void Fail(string message);
}
