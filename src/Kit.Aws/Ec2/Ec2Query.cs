using System.Globalization;
using System.Text;

namespace Kit.Aws.Ec2;

/// <summary>
/// The form parameters of one EC2 Query API call, flattened the way EC2 expects: lists are numbered from 1
/// (<c>InstanceId.1</c>), structures are dotted (<c>Filter.1.Name</c>, <c>Filter.1.Value.1</c>,
/// <c>TagSpecification.1.Tag.1.Key</c>).
/// </summary>
public sealed class Ec2Query
{
    public const string ApiVersion = "2016-11-15";

    private readonly List<KeyValuePair<string, string>> parameters = [];

    public Ec2Query(string action)
    {
        Action = action;
        parameters.Add(new("Action", action));
        parameters.Add(new("Version", ApiVersion));
    }

    public string Action { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Parameters => parameters;

    public Ec2Query Add(string name, string? value)
    {
        if (value is not null) parameters.Add(new(name, value));
        return this;
    }

    public Ec2Query Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public Ec2Query Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public Ec2Query Add(string name, DateTime? value) =>
        Add(name, value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary><c>Name.1=a&amp;Name.2=b</c>.</summary>
    public Ec2Query AddList(string name, IEnumerable<string>? values)
    {
        var i = 0;
        foreach (var v in values ?? []) Add($"{name}.{++i}", v);
        return this;
    }

    /// <summary><c>Filter.N.Name</c> and <c>Filter.N.Value.M</c>.</summary>
    public Ec2Query AddFilters(IEnumerable<Ec2Filter>? filters)
    {
        var i = 0;
        foreach (var f in filters ?? [])
        {
            i++;
            Add($"Filter.{i}.Name", f.Name);
            AddList($"Filter.{i}.Value", f.Values);
        }
        return this;
    }

    /// <summary><c>TagSpecification.N.ResourceType</c> and <c>TagSpecification.N.Tag.M.Key/Value</c>.</summary>
    public Ec2Query AddTagSpecifications(IReadOnlyDictionary<string, string> tags, params string[] resourceTypes)
    {
        if (tags.Count == 0) return this;
        var i = 0;
        foreach (var type in resourceTypes)
        {
            i++;
            Add($"TagSpecification.{i}.ResourceType", type);
            AddTags($"TagSpecification.{i}.Tag", tags);
        }
        return this;
    }

    /// <summary><c>Prefix.N.Key</c> / <c>Prefix.N.Value</c> in key order, so requests are reproducible.</summary>
    public Ec2Query AddTags(string prefix, IReadOnlyDictionary<string, string> tags)
    {
        var i = 0;
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            i++;
            Add($"{prefix}.{i}.Key", key);
            Add($"{prefix}.{i}.Value", value);
        }
        return this;
    }

    /// <summary>The application/x-www-form-urlencoded body, RFC 3986 escaped (spaces as %20, as AWS signs them).</summary>
    public string ToFormBody()
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in parameters)
        {
            if (sb.Length > 0) sb.Append('&');
            sb.Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v));
        }
        return sb.ToString();
    }
}

/// <summary>One DescribeX filter: <c>tag:Name</c> = [values], <c>instance-state-name</c> = [running, stopped].</summary>
public sealed record Ec2Filter(string Name, params string[] Values)
{
    public static Ec2Filter Tag(string key, params string[] values) => new($"tag:{key}", values);
}
