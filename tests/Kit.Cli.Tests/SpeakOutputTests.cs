using Kit.TestSupport;

namespace Kit.Cli.Tests;

/// <summary>
/// Issue 24's second CLI fault: `kit speak -o` where no WAV can be written failed only after the whole synthesis,
/// with .NET's own message. The path is checked first: one line saying what to do, exit 2 (a setting to change),
/// and no model is loaded. The spectrogram model named here does not exist, so a command that reached the
/// models would fail on them instead. Tests run as root, for whom a read-only folder is writable: the folders
/// here fail for root too (a path under a regular file, /proc).
/// </summary>
public sealed class SpeakOutputTests : IDisposable
{
    private readonly TempDir _dir = new("kit-speak-output");

    public void Dispose() => _dir.Dispose();

    private (int Code, string Stdout, string Stderr) Speak(string output, params string[] lines) =>
        KitCli.Run(["speak", "--spectrogram-model", _dir["no-such-model"], "-o", output, .. lines]);

    private static string OneLine(string stderr)
    {
        KitChild.AssertNoStackTrace(stderr);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("kit speak: -o ", line);
        return line;
    }

    [Fact]
    public void An_output_that_is_an_existing_folder_is_refused_before_the_models_load()
    {
        Directory.CreateDirectory(_dir["voices"]);

        var run = Speak(_dir["voices"], "Hello there.");

        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Stderr}");
        Assert.Equal($"kit speak: -o {_dir["voices"]}: {_dir["voices"]} is a folder; give the WAV file's name, e.g. -o {Path.Combine(_dir["voices"], "speech.wav")}",
            OneLine(run.Stderr));
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void An_output_under_a_regular_file_is_refused_before_the_models_load()
    {
        var file = _dir["notes.txt"];
        File.WriteAllText(file, "a file, not a folder");
        var output = Path.Combine(file, "out", "speech.wav");

        var run = Speak(output, "One line.", "Two lines.");

        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Stderr}");
        Assert.Equal($"kit speak: -o {output}: {file} is a file, so no folder can be made under it; give -o a path in a folder", OneLine(run.Stderr));
        Assert.Equal("a file, not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void An_output_in_a_folder_no_file_can_be_made_in_is_refused_before_the_models_load()
    {
        var run = Speak("/proc/speech.wav", "Hello there.");

        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Stderr}");
        Assert.Equal("kit speak: -o /proc/speech.wav: cannot make a file in /proc (the file system there takes no new files); give -o a path in a folder you can write to",
            OneLine(run.Stderr));
        Assert.False(File.Exists("/proc/speech.wav"));
    }
}
