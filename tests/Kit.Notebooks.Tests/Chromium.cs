using System.Diagnostics;
using Kit.Display.Imaging;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// Debian's chromium, headless, on a local file: the DOM after scripts ran (--dump-dom) and a screenshot.
/// Virtual time lets plotly finish drawing before either is taken. No network is used or allowed to matter.
/// </summary>
internal static class Chromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=15000",
    ];

    public static string DumpDom(string htmlFile) => Run(htmlFile, "--dump-dom").Stdout;

    public static RgbaImage Screenshot(string htmlFile, int width, int height)
    {
        var png = Path.ChangeExtension(htmlFile, ".png");
        var (code, _, stderr) = Run(htmlFile, $"--screenshot={png}", $"--window-size={width},{height}");
        Assert.True(code == 0 && File.Exists(png), $"chromium took no screenshot (exit {code}):\n{stderr}");
        return PngDecoder.Decode(File.ReadAllBytes(png));
    }

    private static (int Code, string Stdout, string Stderr) Run(string htmlFile, params string[] args)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install Debian's chromium (setup.sh does)");
        using var profile = new TempDir("kit-chromium-profile");
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var f in Flags) psi.ArgumentList.Add(f);
        psi.ArgumentList.Add($"--user-data-dir={profile.Path}");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(new Uri(htmlFile).AbsoluteUri);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(90))) { p.Kill(true); Assert.Fail("chromium did not finish in 90 s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
