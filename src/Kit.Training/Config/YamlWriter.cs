using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kit.Training.Config;

/// <summary>
/// Writes YAML key by key through YamlDotNet's emitter, so values are always quoted and typed correctly
/// (never edited as text: the Colab notebook's <c>sed</c> edits clobbered a batch size equal to 64 and
/// inverted <c>disable_state_saving</c>). Strings are double-quoted so YAML 1.1 readers such as PyYAML,
/// which DLAS uses, never turn a name like "no" or "on" into a boolean; floats carry <c>!!float</c> and a
/// decimal point because PyYAML reads a bare <c>1e-05</c> as a string.
/// </summary>
public sealed class YamlWriter
{
    private const string FloatTag = "tag:yaml.org,2002:float";
    private readonly IEmitter _e;

    public YamlWriter(TextWriter output)
    {
        _e = new Emitter(output, new EmitterSettings().WithBestWidth(int.MaxValue));
        _e.Emit(new StreamStart());
        _e.Emit(new DocumentStart());
        _e.Emit(new MappingStart());
    }

    public void Finish()
    {
        _e.Emit(new MappingEnd());
        _e.Emit(new DocumentEnd(true));
        _e.Emit(new StreamEnd());
    }

    /// <summary>Full-line comments before the next key.</summary>
    public YamlWriter Comment(string text)
    {
        foreach (var line in text.Split('\n')) _e.Emit(new YamlDotNet.Core.Events.Comment(line.TrimEnd(), false));
        return this;
    }

    public YamlWriter Map(string key, Action body, string? comment = null)
    {
        Key(key);
        _e.Emit(new MappingStart());
        if (comment is not null) Comment(comment);
        body();
        _e.Emit(new MappingEnd());
        return this;
    }

    public YamlWriter Int(string key, long value, string? comment = null) => Plain(key, value.ToString(CultureInfo.InvariantCulture), null, comment);

    public YamlWriter Float(string key, double value, string? comment = null) => Plain(key, FormatFloat(value), FloatTag, comment);

    public YamlWriter Bool(string key, bool value, string? comment = null) => Plain(key, value ? "true" : "false", null, comment);

    public YamlWriter Null(string key, string? comment = null) => Plain(key, "null", null, comment);

    public YamlWriter Str(string key, string? value, string? comment = null)
    {
        if (value is null) return Null(key, comment);
        Key(key);
        _e.Emit(new Scalar(null, null, value, ScalarStyle.DoubleQuoted, false, true));
        return Inline(comment);
    }

    public YamlWriter Ints(string key, IEnumerable<int> values, string? comment = null) =>
        Sequence(key, values.Select(v => new Scalar(v.ToString(CultureInfo.InvariantCulture))), comment);

    public YamlWriter Strs(string key, IEnumerable<string> values, string? comment = null) =>
        Sequence(key, values.Select(v => new Scalar(null, null, v, ScalarStyle.DoubleQuoted, false, true)), comment);

    /// <summary>A value of any type the run configs hold: a whole number, a float, a yes/no, a string or a list of whole numbers.</summary>
    public YamlWriter Value(string key, object value, string? comment = null) => value switch
    {
        int i => Int(key, i, comment),
        long l => Int(key, l, comment),
        double d => Float(key, d, comment),
        bool b => Bool(key, b, comment),
        string s => Str(key, s, comment),
        IEnumerable<int> list => Ints(key, list, comment),
        _ => throw new InvalidOperationException($"{key}: {value.GetType().Name} has no YAML form"),
    };

    /// <summary>Shortest round-tripping form with a decimal point and a signed exponent (1.0e-05).</summary>
    public static string FormatFloat(double value)
    {
        var s = value.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        var e = s.IndexOf('e');
        var mantissa = e < 0 ? s : s[..e];
        if (!mantissa.Contains('.')) mantissa += ".0";
        return e < 0 ? mantissa : mantissa + s[e..];
    }

    private YamlWriter Sequence(string key, IEnumerable<Scalar> items, string? comment)
    {
        Key(key);
        _e.Emit(new SequenceStart(null, null, true, SequenceStyle.Flow));
        foreach (var item in items) _e.Emit(item);
        _e.Emit(new SequenceEnd());
        return Inline(comment);
    }

    private YamlWriter Plain(string key, string text, string? tag, string? comment)
    {
        Key(key);
        _e.Emit(new Scalar(null, tag, text, ScalarStyle.Plain, tag is null, false));
        return Inline(comment);
    }

    private void Key(string key) => _e.Emit(new Scalar(key));

    private YamlWriter Inline(string? comment)
    {
        if (!string.IsNullOrEmpty(comment)) _e.Emit(new YamlDotNet.Core.Events.Comment(comment.Replace('\n', ' '), true));
        return this;
    }
}
