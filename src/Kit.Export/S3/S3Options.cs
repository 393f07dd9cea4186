using Amazon.Runtime;

namespace Kit.Export.S3;

/// <summary>How to reach S3 or an S3-compatible server.</summary>
public sealed record S3Options
{
    /// <summary>AWS region, e.g. eu-west-1; null = the SDK's own resolution (AWS_REGION, profile).</summary>
    public string? Region { get; init; }

    /// <summary>Endpoint of an S3-compatible server (MinIO, R2, Ceph, s3rver); null = AWS.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Bucket in the path (http://host/bucket/key) rather than the host name: on for every S3-compatible server (an endpoint), which MinIO, Ceph and s3rver need and R2 accepts.</summary>
    public bool PathStyle { get; init; }

    /// <summary>Multipart part size. S3 requires at least 5 MiB for every part but the last.</summary>
    public long PartSize { get; init; } = 64L << 20;

    /// <summary>Files at least this large go up in parts (and can resume part by part).</summary>
    public long MultipartThreshold { get; init; } = 64L << 20;

    /// <summary>Explicit credentials; null = the standard AWS chain (environment, profile, SSO, instance role).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>
    /// The endpoint and region from the AWS SDKs' own variables: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL;
    /// AWS_REGION, else AWS_DEFAULT_REGION. The one place the kit reads them. An endpoint is addressed path-style.
    /// </summary>
    public static S3Options FromEnvironment() =>
        new S3Options { Region = Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION") }
            .AtEndpoint(Variable("AWS_ENDPOINT_URL_S3") ?? Variable("AWS_ENDPOINT_URL"));

    /// <summary>These options at an S3-compatible server's endpoint (path-style), or at AWS itself for null.</summary>
    public S3Options AtEndpoint(string? endpointUrl) => this with { EndpointUrl = endpointUrl, PathStyle = endpointUrl is not null };

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
