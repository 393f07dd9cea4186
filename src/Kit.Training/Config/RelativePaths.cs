namespace Kit.Training.Config;

/// <summary>
/// Relative paths in a config, resolved against the config's folder; when that finds nothing because the folder
/// moved to another depth (runs/exp → runs/archive/exp) while the dataset stayed, the path's own part (without its
/// leading ../) is looked for from each folder above, nearest first. Nothing found: the plain resolution, so the
/// error names the path the config says.
/// </summary>
public static class RelativePaths
{
    public static string Resolve(string baseDirectory, string path)
    {
        var plain = Path.GetFullPath(Path.Combine(baseDirectory, path));
        if (Path.IsPathRooted(path) || File.Exists(plain) || Directory.Exists(plain)) return plain;
        var parts = path.Replace('\\', '/').Split('/');
        var tail = string.Join('/', parts.SkipWhile(p => p is ".." or "."));
        if (tail.Length == 0) return plain;
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, tail));
            if (File.Exists(candidate)) return candidate;
        }
        return plain;
    }
}
