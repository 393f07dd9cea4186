namespace Kit.Data.Checks;

/// <summary>
/// Finds the file a missing path names but for letter case (wavs/case.wav for wavs/Case.wav, or a Wavs/
/// folder): a dataset made on Windows or macOS, whose file systems ignore case, often has such lines.
/// Folder listings are kept, so a dataset whose every line misses the same way costs one listing a folder.
/// </summary>
internal sealed class CaseInsensitiveFiles
{
    private readonly Dictionary<string, ILookup<string, string>?> _listings = new(StringComparer.Ordinal);

    /// <summary>The one existing path that equals <paramref name="fullPath"/> ignoring case, or null.</summary>
    public string? Find(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath);
        if (string.IsNullOrEmpty(root)) return null;
        var current = root;
        foreach (var name in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var exact = Path.Combine(current, name);
            if (Path.Exists(exact)) { current = exact; continue; }
            var candidates = Listing(current)?[name.ToUpperInvariant()].ToList();
            if (candidates is not { Count: 1 }) return null; // none, or several that differ only by case
            current = Path.Combine(current, candidates[0]);
        }
        return File.Exists(current) && current != fullPath ? current : null;
    }

    private ILookup<string, string>? Listing(string folder)
    {
        if (_listings.TryGetValue(folder, out var listing)) return listing;
        try
        {
            listing = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>()
                .ToLookup(n => n.ToUpperInvariant(), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { listing = null; }
        return _listings[folder] = listing;
    }
}
