using System.Text;

namespace Kit.Notebooks.Running;

/// <summary>
/// Console.Out / Console.Error while a notebook runs: text goes to the running cell's outputs as a stream
/// (stdout or stderr), and, when the runner echoes, to the real console too.
/// </summary>
internal sealed class ConsoleRouter(string stream, TextWriter? echo) : TextWriter
{
    public CellOutputs? Target { get; set; }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        Target?.Write(stream, value);
        echo?.Write(value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override void WriteLine() => Write("\n");
}
