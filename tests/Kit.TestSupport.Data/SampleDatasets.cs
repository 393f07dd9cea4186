using Kit.Data.Samples;

namespace Kit.TestSupport;

/// <summary>
/// The kit's built-in espeak-ng sample dataset, made once per test process and shared read-only; tests that
/// change files take a copy with <see cref="CopyTo"/>.
/// </summary>
public static class SampleDatasets
{
    private static readonly Dictionary<int, Lazy<string>> Made = new();
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"kit-samples-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

    static SampleDatasets()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
    }

    /// <summary>The folder of a sample dataset with <paramref name="clips"/> clips. Do not modify it.</summary>
    public static string Get(int clips = 24)
    {
        Lazy<string> lazy;
        lock (Made)
        {
            if (!Made.TryGetValue(clips, out lazy!))
                Made[clips] = lazy = new Lazy<string>(() =>
                {
                    var folder = Path.Combine(Root, $"sample-{clips}");
                    SampleDataset.CreateAsync(folder, clips).GetAwaiter().GetResult();
                    return folder;
                });
        }
        return lazy.Value;
    }

    /// <summary>Copies a sample dataset into <paramref name="target"/> (created) and returns it.</summary>
    public static string CopyTo(string target, int clips = 24)
    {
        var source = Get(clips);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: true);
        }
        return target;
    }
}
