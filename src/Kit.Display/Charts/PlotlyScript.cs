namespace Kit.Display.Charts;

/// <summary>
/// plotly.js, from the npm package the kit installs (node_modules/plotly.js-dist-min), copied next to
/// Kit.Display.dll by the build. It is embedded inline once per page (a notebook, a kernel session): the
/// first chart rendered after <see cref="StartPage"/> carries it, later charts wait for window.Plotly.
/// Nothing is ever fetched from the internet.
/// </summary>
public static class PlotlyScript
{
    public const string FileName = "plotly.min.js";
    private static int _embedded;
    private static readonly Lazy<string?> Source = new(() => Locate() is { } path ? File.ReadAllText(path) : null);

    /// <summary>A new page: the next chart embeds plotly.js again (a kernel session is one page; tests start fresh pages).</summary>
    public static void StartPage() => Interlocked.Exchange(ref _embedded, 0);

    /// <summary>True when plotly.js was found on this machine.</summary>
    public static bool Available => Source.Value is not null;

    /// <summary>The script block for the first chart of the page, else null.</summary>
    internal static string? TakeForNewChart()
    {
        if (Source.Value is null || Interlocked.Exchange(ref _embedded, 1) == 1) return null;
        // Guarded by window.Plotly so a page that already has it does not evaluate 4.8 MB again.
        return "<script type=\"text/javascript\">if (!window.Plotly) {\n" + Source.Value.Replace("</script", "<\\/script") + "\n}</script>";
    }

    /// <summary>Next to Kit.Display.dll (the build copies it there), else the repository's node_modules.</summary>
    public static string? Locate()
    {
        var here = Path.GetDirectoryName(typeof(PlotlyScript).Assembly.Location);
        foreach (var start in new[] { here, AppContext.BaseDirectory }.Where(d => !string.IsNullOrEmpty(d)))
        {
            var beside = Path.Combine(start!, FileName);
            if (File.Exists(beside)) return beside;
            for (var dir = new DirectoryInfo(start!); dir is not null; dir = dir.Parent)
            {
                var npm = Path.Combine(dir.FullName, "node_modules", "plotly.js-dist-min", FileName);
                if (File.Exists(npm)) return npm;
            }
        }
        return null;
    }
}
