using System.Text;

namespace Kgent.Kernel.Libbpf.Lowering;

/// <summary>Text written so that what comes from line L, column C of the C program is on line L of the result, at column
/// C when that column is still free: the lowered program's positions are the C program's.</summary>
internal sealed class LineAlignedText
{
    private readonly StringBuilder text = new();
    private int line = 1;
    private int column = 1;

    public void Write(int atLine, int atColumn, string fragment)
    {
        if (atLine > line)
        {
            while (line < atLine)
            {
                text.Append('\n');
                line++;
            }

            column = 1;
        }

        if (atColumn > column)
        {
            text.Append(' ', atColumn - column);
            column = atColumn;
        }
        else if (column > 1)
        {
            text.Append(' ');
            column++;
        }

        text.Append(fragment);
        column += fragment.Length;
    }

    /// <summary>Appends on the current line.</summary>
    public void Append(string fragment) => Write(line, 0, fragment);

    public override string ToString() => text.ToString().TrimEnd() + "\n";
}
