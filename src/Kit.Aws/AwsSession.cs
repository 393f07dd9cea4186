using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Kit.Aws;

/// <summary>
/// Where and as whom the kit talks to AWS: a region and credentials. <see cref="FromEnvironment"/> follows
/// the AWS CLI's rules through AWSSDK.Core (AWS_REGION, AWS_DEFAULT_REGION, the profile; environment keys,
/// ~/.aws profiles, SSO, the instance role). Tests build one directly so nothing is looked up.
/// </summary>
public sealed class AwsSession
{
    private readonly AWSCredentials credentials;

    public AwsSession(string region, AWSCredentials credentials)
    {
        if (string.IsNullOrWhiteSpace(region))
            throw new ArgumentException("an AWS region is required (e.g. us-west-2)", nameof(region));
        Region = region;
        this.credentials = credentials;
    }

    public string Region { get; }

    /// <summary>Static keys: tests, and users who pass them explicitly.</summary>
    public static AwsSession WithKeys(string region, string accessKey, string secretKey, string? sessionToken = null) =>
        new(region, sessionToken is null
            ? new BasicAWSCredentials(accessKey, secretKey)
            : new SessionAWSCredentials(accessKey, secretKey, sessionToken));

    /// <summary>
    /// The region given, else AWS_REGION / AWS_DEFAULT_REGION / the profile's region, else (only when
    /// <paramref name="askInstanceMetadata"/>: on an EC2 VM) the instance's own region.
    /// </summary>
    public static AwsSession FromEnvironment(string? region = null, bool askInstanceMetadata = false)
    {
        var resolved = ResolveRegion(region, askInstanceMetadata);
        AWSCredentials creds;
        try
        {
            creds = new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null);
        }
        catch (AmazonClientException e)
        {
            throw new AwsConfigurationException(
                "No AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run `aws configure`. "
                + "(" + e.Message + ")", e);
        }
        return new AwsSession(resolved, creds);
    }

    /// <summary>The region alone (no credentials looked up), by the same rules as <see cref="FromEnvironment"/>.</summary>
    public static string ResolveRegion(string? region = null, bool askInstanceMetadata = false) =>
        region
        ?? FallbackRegionFactory.GetRegionEndpoint(askInstanceMetadata)?.SystemName
        ?? throw new AwsConfigurationException(
            "No AWS region: pass --region, or set AWS_REGION / AWS_DEFAULT_REGION, or a region in ~/.aws/config.");

    /// <summary>What the SDK clients sign with (AWSSDK.Core refreshes temporary credentials itself).</summary>
    public AWSCredentials Credentials => credentials;
}

/// <summary>The user's AWS setup is missing something (region, credentials); the message says what to do.</summary>
public sealed class AwsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
