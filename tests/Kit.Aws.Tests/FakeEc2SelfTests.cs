using Kit.Aws.Ec2;
using Kit.Aws.Tests.Support;

namespace Kit.Aws.Tests;

/// <summary>The fake EC2's checks must be able to fail: a wrong key or region is refused.</summary>
public sealed class FakeEc2SelfTests
{
    [Theory]
    [InlineData("us-west-2", "wrong-secret", "signature mismatch")]
    [InlineData("eu-west-1", FakeEc2.SecretKey, "region eu-west-1")]
    public async Task A_request_signed_with_the_wrong_secret_or_region_is_refused(string region, string secret, string reason)
    {
        using var fake = new FakeEc2("us-west-2");
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances());
        using var ec2 = new Ec2Client(AwsSession.WithKeys(region, FakeEc2.AccessKey, secret),
            fake.Endpoint);

        var e = await Assert.ThrowsAsync<Ec2Exception>(() => ec2.DescribeInstancesAsync());

        Assert.Equal("TestServerCheckFailed", e.Code);
        Assert.Contains(reason, e.AwsMessage);
    }
}
