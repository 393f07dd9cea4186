using System.Globalization;
using System.Net;
using System.Text;
using Kit.Data.Audio;
using Kit.Display;
using Kit.Training.Checkpoints;

namespace Kit.Training.Trainer;

/// <summary>
/// The latest validation's samples as the live view shows them: WAVs as audio players and PNG/SVG as images,
/// embedded in the HTML so a saved notebook still shows them, each captioned with its step and name. Only one
/// validation's set is kept, and embedding stops at <see cref="MaxEmbeddedBytes"/> in all: the live view
/// resends its whole HTML at every redraw, so a long clip is named by its path instead. Not thread-safe
/// (TrainingView holds its lock).
/// </summary>
internal sealed class ValidationSamples
{
    private readonly List<Sample> _samples = [];
    private long _embedded;
    // Base64 of a few MB is too costly to redo at every redraw: built once per change.
    private string? _html;

    public long MaxEmbeddedBytes { get; set; } = 4L << 20;

    public long? Step { get; private set; }

    public IReadOnlyList<Sample> Items => _samples;

    /// <summary>Adds a file the loop just wrote; one from a newer validation replaces the previous set.</summary>
    public void Add(string path, long fallbackStep)
    {
        var name = Path.GetFileName(path);
        // The loop names samples step-NNNNNNNNN-NAME; the step is read back from there.
        long parsed = 0;
        var named = name.Length > 15 && name[14] == '-' && CheckpointFiles.TryParseStep(name[..14], out parsed);
        var step = named ? parsed : fallbackStep;
        if (Step != step)
        {
            _samples.Clear();
            _embedded = 0;
            Step = step;
        }
        var sample = Read(path, named ? name[15..] : name, MaxEmbeddedBytes - _embedded, MaxEmbeddedBytes);
        _embedded += sample.Content?.Length ?? 0;
        _samples.Add(sample);
        _html = null;
    }

    private static Sample Read(string path, string name, long budget, long max)
    {
        var kind = KindOf(path);
        long length;
        try { length = new FileInfo(path).Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new Sample(path, name, kind, 0, null, $"cannot be read: {e.Message}"); }
        if (kind == SampleKind.Other) return new Sample(path, name, kind, length, null, null);
        if (length > budget)
            return new Sample(path, name, kind, length, null, $"not embedded: the view embeds at most {ByteSize.Format(max)} per validation");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new Sample(path, name, kind, length, null, $"cannot be read: {e.Message}"); }
        if (kind != SampleKind.Audio) return new Sample(path, name, kind, bytes.Length, bytes, null);
        try
        {
            var info = WavReader.ReadHeader(new MemoryStream(bytes, writable: false), path);
            return new Sample(path, name, kind, bytes.Length, bytes, null) { Seconds = info.DurationSeconds };
        }
        catch (WavFormatException e) { return new Sample(path, name, kind, bytes.Length, null, $"not a playable WAV: {e.Message}"); }
    }

    public string Html()
    {
        if (_html is not null) return _html;
        if (_samples.Count == 0) return _html = "";
        var html = new StringBuilder("<div class=\"kit-samples\">");
        html.Append(CultureInfo.InvariantCulture, $"<div>samples at validation step {Step}</div>");
        foreach (var s in _samples)
        {
            var caption = $"step {Step}: {s.Name}";
            if (s.Content is null)
                html.Append($"<div class=\"kit-sample-file\">{WebUtility.HtmlEncode(caption)} ({ByteSize.Format(s.Length)}{(s.Note is null ? "" : ", " + WebUtility.HtmlEncode(s.Note))}): <code>{WebUtility.HtmlEncode(s.Path)}</code></div>");
            else if (s.Kind == SampleKind.Audio)
                html.Append(new AudioPlayer(caption, s.Content, s.Seconds).ToHtml());
            else
                html.Append("<figure class=\"kit-sample-image\" style=\"margin:4px 0\">")
                    .Append($"<img style=\"max-width:100%\" alt=\"{WebUtility.HtmlEncode(s.Name)}\" src=\"data:{(s.Kind == SampleKind.Svg ? "image/svg+xml" : "image/png")};base64,{Convert.ToBase64String(s.Content)}\"/>")
                    .Append($"<figcaption>{WebUtility.HtmlEncode(caption)}</figcaption></figure>");
        }
        return _html = html.Append("</div>").ToString();
    }

    public string Text()
    {
        if (_samples.Count == 0) return "";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"samples at validation step {Step}:");
        foreach (var s in _samples)
        {
            text.Append("\n  ").Append(s.Path).Append(" (");
            if (s.Kind == SampleKind.Audio && s.Content is not null) text.Append(CultureInfo.InvariantCulture, $"{s.Seconds:0.00} s, ");
            text.Append(ByteSize.Format(s.Length));
            if (s.Note is not null) text.Append(", ").Append(s.Note);
            text.Append(')');
        }
        return text.ToString();
    }

    private static SampleKind KindOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".wav" => SampleKind.Audio,
        ".png" => SampleKind.Png,
        ".svg" => SampleKind.Svg,
        _ => SampleKind.Other,
    };

    internal enum SampleKind { Audio, Png, Svg, Other }

    /// <summary>One file; <see cref="Content"/> is null when it is listed by path instead of embedded (<see cref="Note"/> says why, if not obvious).</summary>
    internal sealed record Sample(string Path, string Name, SampleKind Kind, long Length, byte[]? Content, string? Note)
    {
        public double Seconds { get; init; }
    }
}
