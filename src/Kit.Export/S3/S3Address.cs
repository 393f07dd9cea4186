namespace Kit.Export.S3;

/// <summary>An s3://bucket/prefix address; the prefix has no leading slash and ends with one (or is empty).</summary>
public sealed record S3Address(string Bucket, string Prefix)
{
    public const string Scheme = "s3://";

    public static bool IsS3(string address) => address.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static S3Address Parse(string address)
    {
        if (!IsS3(address)) throw new FormatException($"'{address}' is not an s3://bucket/prefix address");
        var rest = address[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (bucket.Length == 0) throw new FormatException($"'{address}': no bucket name after s3://");
        return new S3Address(bucket, prefix.Length == 0 ? "" : prefix + "/");
    }

    public string Key(string relativePath) => Prefix + relativePath;

    public override string ToString() => $"{Scheme}{Bucket}/{Prefix}".TrimEnd('/');
}
