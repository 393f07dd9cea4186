using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kit.Training.Config;

/// <summary>Reads a YAML file as a tree and fetches keys with errors that name the file, the line and the key path.</summary>
internal sealed class YamlDocument
{
    public string Path { get; }
    public YamlMappingNode Root { get; }

    private YamlDocument(string path, YamlMappingNode root) => (Path, Root) = (path, root);

    public static YamlDocument Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigFormatException($"{path}: no such file");
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                throw new ConfigFormatException($"{path}:1: expected a YAML mapping (key: value lines)");
            return new YamlDocument(path, root);
        }
        catch (YamlException e)
        {
            throw new ConfigFormatException($"{path}:{e.Start.Line}: {e.Message}", e);
        }
    }

    /// <summary>The node at a dotted key path ("train.val_freq"), or an error naming the file and line where it was expected.</summary>
    public YamlNode Get(string keyPath) => Find(keyPath) ?? throw Missing(keyPath);

    public YamlNode? Find(string keyPath)
    {
        YamlNode node = Root;
        foreach (var part in keyPath.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(part), out var child))
                return null;
            node = child;
        }
        return node;
    }

    /// <summary>A scalar's text; null for a YAML null.</summary>
    public string? Scalar(string keyPath)
    {
        var node = Get(keyPath);
        if (node is not YamlScalarNode s) throw Error(node, $"'{keyPath}' should be a single value");
        return s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is "null" or "~" or "" ? null : s.Value;
    }

    public IReadOnlyList<string> Sequence(string keyPath)
    {
        var node = Get(keyPath);
        if (node is not YamlSequenceNode seq) throw Error(node, $"'{keyPath}' should be a list");
        return seq.Children.Select(c => c is YamlScalarNode s ? s.Value ?? "" : throw Error(c, $"'{keyPath}' should hold single values")).ToArray();
    }

    public ConfigFormatException Error(YamlNode node, string message) => new($"{Path}:{node.Start.Line}: {message}");

    private ConfigFormatException Missing(string keyPath)
    {
        var parent = keyPath.Contains('.') ? Find(keyPath[..keyPath.LastIndexOf('.')]) : Root;
        var line = parent?.Start.Line ?? 1;
        return new ConfigFormatException($"{Path}:{line}: missing key '{keyPath}'");
    }
}
