using Kit.Aws.Tests.Support;
using Kit.TestSupport;

namespace Kit.Aws.Tests;

/// <summary>`kit aws …` end to end against the loopback EC2 (credentials from the environment, as a user's would be).</summary>
public sealed class AwsCliTests : IDisposable
{
    private readonly FakeEc2 fake = new("ap-southeast-2");

    public void Dispose() => fake.Dispose();

    private (int Code, string Out, string Err) Kit(params string[] args) =>
        KitCli.Run(new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = FakeEc2.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = FakeEc2.SecretKey,
            ["AWS_SESSION_TOKEN"] = null, ["AWS_PROFILE"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true", // never ask 169.254.169.254
        }, [.. args, "--ec2-endpoint", fake.Endpoint.ToString(), "--region", fake.Region]);

    [Fact]
    public void Terminate_cancels_the_persistent_spot_request_first_then_terminates()
    {
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-0t", "running", "alice_baseline", spotRequest: "sir-9")));
        fake.On("CancelSpotInstanceRequests", Ec2Replies.CancelSpotInstanceRequests("sir-9"));
        fake.On("TerminateInstances", Ec2Replies.StateChanges("TerminateInstancesResponse", "i-0t", "running", "shutting-down"));

        var (code, output, error) = Kit("aws", "terminate", "alice_baseline");

        Assert.True(code == 0, error);
        Assert.Equal(["DescribeInstances", "CancelSpotInstanceRequests", "TerminateInstances"], fake.Calls.Select(c => c["Action"]));
        Assert.Equal("alice_baseline", fake.LastCall("DescribeInstances")["Filter.1.Value.1"]);
        Assert.Equal("sir-9", fake.LastCall("CancelSpotInstanceRequests")["SpotInstanceRequestId.1"]);
        Assert.Contains("running → shutting-down", output);
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public void Image_names_the_image_after_the_run_and_step()
    {
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-0i", "running", "alice_baseline")));
        fake.On("CreateImage", Ec2Replies.CreateImage("ami-0img"));

        var (code, output, error) = Kit("aws", "image", "alice_baseline", "--experiment", "28c3b1e6", "--step", "150000", "--no-wait");

        Assert.True(code == 0, error);
        var c = fake.LastCall("CreateImage");
        Assert.StartsWith("kit alice_baseline step 150000 ", c["Name"]);
        Assert.Equal("Kit training run alice_baseline, experiment 28c3b1e6, at 150000 steps.", c["Description"]);
        Assert.Equal("i-0i", c["InstanceId"]);
        Assert.Contains("ami-0img", output);
    }

    [Fact]
    public void An_unknown_name_is_one_clear_line_and_exit_code_1()
    {
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances());
        var (code, _, error) = Kit("aws", "ssh-command", "nobody");
        Assert.Equal(1, code);
        Assert.Contains("kit aws ssh-command: No live instance named 'nobody' in ap-southeast-2", error);
    }

    [Fact]
    public void Ssh_command_uses_the_key_pair_and_public_name()
    {
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-0s", "running", "vm")));
        var (code, output, error) = Kit("aws", "ssh-command", "vm");
        Assert.True(code == 0, error);
        Assert.Equal("ssh -i ~/.ssh/my-key-pair.pem 'ubuntu@ec2-203-0-113-25.us-west-2.compute.amazonaws.com' tail -f /var/log/kit/train.log", output.Trim());
    }
}
