using Kit.Data.Datasets;

namespace Kit.Cli.Commands;

/// <summary>
/// What `kit check` and `kit params` are given must be a dataset folder or a text list. A binary file (a WAV, an
/// archive) read as a list gave "Null character in path" from deep in the loader; it is refused up front, as a
/// dataset that cannot be read (exit 2).
/// </summary>
internal static class DatasetInput
{
    public static void RequireReadable(string path)
    {
        if (!File.Exists(path)) return; // a folder, or nothing: the loader's own messages say which
        Span<byte> head = stackalloc byte[8192];
        int n;
        using (var fs = File.OpenRead(path)) n = fs.Read(head);
        if (head[..n].Contains((byte)0))
            throw new DatasetLoadException($"{Path.GetFullPath(path)}: a binary file, not a dataset list; give the dataset folder, or its metadata.csv / train.txt");
    }
}
