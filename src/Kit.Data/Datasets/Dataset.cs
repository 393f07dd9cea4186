namespace Kit.Data.Datasets;

/// <summary>
/// An LJSpeech-format dataset: a folder with metadata.csv and/or train.txt / val.txt, or a single list file.
/// </summary>
public sealed class Dataset
{
    /// <summary>The dataset folder: audio and list files are reported relative to it.</summary>
    public string Root { get; }

    public IReadOnlyList<ListFile> Lists { get; }

    private Dataset(string root, IReadOnlyList<ListFile> lists)
    {
        Root = root;
        Lists = lists;
    }

    public IEnumerable<DatasetEntry> Entries => Lists.SelectMany(l => l.Entries);

    public ListFile? List(Split split) => Lists.FirstOrDefault(l => l.Split == split);

    /// <summary>
    /// Loads a dataset folder or one list file. Throws <see cref="DatasetLoadException"/> only when nothing can
    /// be read; problems on single lines are findings on the list files.
    /// </summary>
    public static Dataset Load(string path)
    {
        if (File.Exists(path))
        {
            var full = Path.GetFullPath(path);
            var root = Path.GetDirectoryName(full)!;
            return new Dataset(root, [ListFileParser.Parse(full, SplitOfFile(full), root)]);
        }
        if (!Directory.Exists(path))
            throw new DatasetLoadException($"{path}: no such file or folder");

        var folder = Path.GetFullPath(path);
        var lists = new List<ListFile>();
        foreach (var (name, split) in new[] { ("metadata.csv", Split.Metadata), ("train.txt", Split.Train), ("val.txt", Split.Val) })
        {
            var file = Path.Combine(folder, name);
            if (File.Exists(file)) lists.Add(ListFileParser.Parse(file, split, folder));
        }
        if (lists.Count == 0)
            throw new DatasetLoadException($"{path}: no metadata.csv, train.txt or val.txt in this folder; point the kit at an LJSpeech-format dataset folder or a list file");
        return new Dataset(folder, lists);
    }

    /// <summary>A lone list file's split, from its name (val.txt, validation.csv, ...; else train).</summary>
    public static Split SplitOfFile(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        if (name == "metadata") return Split.Metadata;
        return name.Contains("val") || name.Contains("dev") ? Split.Val : Split.Train;
    }
}
