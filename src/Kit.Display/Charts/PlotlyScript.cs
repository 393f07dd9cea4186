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

    private static readonly Lazy<string?> Block = new(Pack);

    /// <summary>The script block for the first chart of the page, else null.</summary>
    internal static string? TakeForNewChart()
    {
        if (Block.Value is null || Interlocked.Exchange(ref _embedded, 1) == 1) return null;
        return Block.Value;
    }

    /// <summary>
    /// plotly.js gzipped and base64-encoded (1.9 MB instead of 4.8 MB: every notebook that shows a chart
    /// carries it once), unpacked by the browser's DecompressionStream and run as a script. Guarded so a page
    /// that already has plotly.js (or is loading it) does not evaluate it again; charts wait for window.Plotly.
    /// </summary>
    private static string? Pack()
    {
        if (Source.Value is not { } source) return null;
        var version = System.Text.RegularExpressions.Regex.Match(source, @"plotly\.js v[0-9.]+").Value;
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.SmallestSize))
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(source));
        return "<script type=\"text/javascript\">/* " + version + " (gzip, base64) */\n" +
               "if (!window.Plotly && !window.kitPlotlyLoading) {\n  window.kitPlotlyLoading = true;\n" +
               "  var packed = Uint8Array.from(atob(\"" + Convert.ToBase64String(packed.ToArray()) + "\"), function (c) { return c.charCodeAt(0); });\n" +
               "  new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream(\"gzip\"))).text().then(function (src) {\n" +
               "    var s = document.createElement(\"script\"); s.text = src; document.head.appendChild(s);\n  });\n}</script>";
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
