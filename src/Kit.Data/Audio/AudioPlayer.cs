using System.Net;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Data.Audio;

/// <summary>
/// An HTML &lt;audio&gt; player with the clip embedded as a base64 data URI, so a notebook plays it with no
/// file server and the saved notebook still plays it elsewhere. WAV, MP3, FLAC and OGG Vorbis are embedded
/// as they are: browsers play all four.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class AudioPlayer : IRenderable
{
    public string Title { get; }
    public byte[] WavBytes { get; }
    public double DurationSeconds { get; }
    /// <summary>The MIME type of <see cref="WavBytes"/> ("audio/wav" unless made from a compressed file).</summary>
    public string MimeType { get; }

    public AudioPlayer(string title, byte[] wavBytes, double durationSeconds, string mimeType = "audio/wav")
    {
        Title = title;
        WavBytes = wavBytes;
        DurationSeconds = durationSeconds;
        MimeType = mimeType;
    }

    /// <summary>A player for an audio file; its bytes are embedded as they are (decoded first, so a broken file fails here).</summary>
    public static AudioPlayer FromFile(string path, string? title = null)
    {
        var bytes = File.ReadAllBytes(path);
        var (info, _) = AudioFile.Decode(bytes, path);
        return new AudioPlayer(title ?? Path.GetFileName(path), bytes, info.DurationSeconds, AudioFile.MimeType(info.Container));
    }

    public static AudioPlayer FromClip(AudioClip clip, string title) =>
        new(title, WavWriter.ToBytes(clip), clip.DurationSeconds);

    public string ToHtml() =>
        $"<div class=\"kit-audio\"><div>{WebUtility.HtmlEncode(Title)} ({DurationSeconds:0.00} s)</div>" +
        $"<audio controls preload=\"none\" src=\"data:{MimeType};base64,{Convert.ToBase64String(WavBytes)}\"></audio></div>";

    public IReadOnlyList<Rendering> Render() =>
    [
        new(Rendering.Html, ToHtml()),
        new(Rendering.Text, $"[audio] {Title} ({DurationSeconds:0.00} s, {WavBytes.Length:N0} bytes)"),
    ];

    /// <summary>Several players in one output.</summary>
    public static IRenderable Many(IEnumerable<AudioPlayer> players) => new PlayerList(players.ToList());

    [TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
    private sealed class PlayerList(List<AudioPlayer> players) : IRenderable
    {
        public IReadOnlyList<Rendering> Render() =>
        [
            new(Rendering.Html, string.Concat(players.Select(p => p.ToHtml()))),
            new(Rendering.Text, string.Join('\n', players.Select(p => p.Render()[1].Content))),
        ];
    }
}
