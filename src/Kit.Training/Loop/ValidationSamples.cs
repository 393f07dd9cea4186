using System.Globalization;
using System.Net;
using System.Text;
using Kit.Data.Audio;
using Kit.Display;
using Kit.Display.Live;
using Kit.Training.Checkpoints;

namespace Kit.Training.Loop;

/// <summary>
/// The latest validation's samples, a live display of their own beside the training view: WAVs as audio players
/// and PNG/SVG as images, embedded in the HTML so a saved notebook still shows them, each captioned with its step
/// and name. Only one validation's set is kept, and embedding stops at <see cref="MaxEmbeddedBytes"/> in all (a
/// file past it is named by its path). It redraws only when a validation brings a new set, so the view's frequent
/// redraws (status and loss curves) stay small, and a headless run, which keeps every redraw, keeps each set once.
/// </summary>
public sealed class ValidationSamples : LiveDisplay
{
    private readonly object _gate = new();
    private readonly List<Sample> _samples = [];
    private long _embedded;
    // 2 MiB, 2.7 MB in base64: with plotly.js (2 MB), a notebook executed headless stays under 6 MB.
    private long _maxEmbedded = 2L << 20;
    // Base64 of a few MB is too costly to redo at every render: built once per change.
    private string? _html;

    /// <summary>The most sample bytes (all of one validation's files together) embedded in the HTML; files past it are shown by path.</summary>
    public long MaxEmbeddedBytes
    {
        get { lock (_gate) return _maxEmbedded; }
        set { lock (_gate) _maxEmbedded = value; }
    }

    /// <summary>The validation step of the samples shown; null before the first.</summary>
    public long? Step { get { lock (_gate) return _step; } }
    private long? _step;

    /// <summary>Adds the files one validation just wrote (a newer validation's set replaces the previous one), then redraws once.</summary>
    internal void AddSet(IReadOnlyList<string> paths, long fallbackStep)
    {
        if (paths.Count == 0) return;
        lock (_gate)
            foreach (var path in paths) Add(path, fallbackStep);
        // Once per validation, never dropped by the throttle: the set is complete.
        Complete();
    }

    private void Add(string path, long fallbackStep)
    {
        var name = Path.GetFileName(path);
        // The loop names samples step-NNNNNNNNN-NAME; the step is read back from there.
        long parsed = 0;
        var named = name.Length > 15 && name[14] == '-' && CheckpointFiles.TryParseStep(name[..14], out parsed);
        var step = named ? parsed : fallbackStep;
        if (_step != step)
        {
            _samples.Clear();
            _embedded = 0;
            _step = step;
        }
        var sample = Read(path, named ? name[15..] : name, _maxEmbedded - _embedded, _maxEmbedded);
        _embedded += sample.Content?.Length ?? 0;
        _samples.Add(sample);
        _html = null;
    }

    public override IReadOnlyList<Rendering> Render()
    {
        lock (_gate) return [new Rendering(Rendering.Html, Html()), new Rendering(Rendering.Text, Text())];
    }

    public override string ToString()
    {
        lock (_gate) return Text();
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

    /// <summary>The samples' HTML; empty (an empty block) before the first validation's set. Call under the lock.</summary>
    private string Html()
    {
        if (_html is not null) return _html;
        if (_samples.Count == 0) return _html = "<div class=\"kit-samples\"></div>";
        var html = new StringBuilder("<div class=\"kit-samples\">");
        html.Append(CultureInfo.InvariantCulture, $"<div>samples at validation step {_step}</div>");
        foreach (var s in _samples)
        {
            var caption = $"step {_step}: {s.Name}";
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

    /// <summary>The samples' paths and sizes; empty before the first validation's set. Call under the lock.</summary>
    private string Text()
    {
        if (_samples.Count == 0) return "";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"samples at validation step {_step}:");
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
