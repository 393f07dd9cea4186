namespace Kit.Torch.Formats;

/// <summary>A weights file that cannot be read or written: damaged, truncated or not what it claims to be.
/// The message names the file and, where it helps, the byte offset or record.</summary>
public class TorchFormatException : IOException
{
    public string FilePath { get; }

    public TorchFormatException(string filePath, string message, Exception? inner = null)
        : base($"{filePath}: {message}", inner) => FilePath = filePath;

    private protected TorchFormatException(string filePath, string fullMessage, bool _)
        : base(fullMessage) => FilePath = filePath;
}

/// <summary>A pickle that asks for a global outside the allow-list: loading it could run code, so it is refused
/// before anything is called.</summary>
public sealed class UnsafePickleException : TorchFormatException
{
    public string Global { get; }

    public UnsafePickleException(string filePath, string global, string where)
        : base(filePath, $"refusing to load {global} from {filePath}: not on the allow-list of globals a weights file may use ({where})", true) =>
        Global = global;
}
