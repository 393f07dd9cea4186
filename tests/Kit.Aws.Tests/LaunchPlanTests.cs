using System.Text;
using Kit.Aws.Ec2;
using Kit.Aws.Launch;

namespace Kit.Aws.Tests;

/// <summary>The dry run the AWS notebooks show by default: the RunInstances request a launch would send, unsent.</summary>
public sealed class LaunchPlanTests
{
    private static TrainingVmRequest Request(string? imageId = null) =>
        new("alice_baseline", "g4dn.xlarge",
            new TrainingRunSettings("alice_baseline", "https://example.invalid/kit.git", "s3://bucket/runs/alice_baseline", "us-west-2")
            {
                TrainArgs = ["runs/spectrogram/run.yml", "--output", "/opt/kit/runs/spectrogram"],
            })
        {
            ImageId = imageId, KeyName = "my-key", SecurityGroupIds = ["sg-0123"], DiskGiB = 120,
            Spot = new SpotOptions(SpotRequestType.Persistent, InterruptionBehavior.Stop, 0.25m),
        };

    private static Dictionary<string, string> Parameters(LaunchPlan plan) => plan.Parameters.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void The_plan_is_the_request_a_launch_sends_with_the_rendered_boot_script()
    {
        var request = Request("ami-0abc");
        var plan = TrainingVmLauncher.Plan(request, zone: "us-west-2c");
        var p = Parameters(plan);
        Assert.Equal("RunInstances", plan.Action);
        Assert.Equal("ami-0abc", p["ImageId"]);
        Assert.Equal("us-west-2c", p["Placement.AvailabilityZone"]);
        Assert.Equal("spot", p["InstanceMarketOptions.MarketType"]);
        Assert.Equal("persistent", p["InstanceMarketOptions.SpotOptions.SpotInstanceType"]);
        Assert.Equal("stop", p["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"]);
        Assert.Equal("0.25", p["InstanceMarketOptions.SpotOptions.MaxPrice"]);
        Assert.Equal("120", p["BlockDeviceMapping.1.Ebs.VolumeSize"]);
        var script = UserDataScript.Render(request.Run);
        Assert.Equal(script, Encoding.UTF8.GetString(Convert.FromBase64String(p["UserData"])));
        Assert.Equal(("1", "1"), (p["MinCount"], p["MaxCount"]));
        Assert.False(p.ContainsKey("ClientToken")); // a fresh GUID on each real send, so not shown

        var text = plan.ToString();
        Assert.Contains("not sent", text);
        Assert.Contains("'runs/spectrogram/run.yml' '--output' '/opt/kit/runs/spectrogram'", text);
        Assert.DoesNotContain(p["UserData"], text); // the script is shown as itself, not as base64
    }

    [Fact]
    public void What_only_AWS_knows_is_a_visible_placeholder()
    {
        var p = Parameters(TrainingVmLauncher.Plan(Request()));
        Assert.Contains(AmiLookup.DefaultDeepLearningAmiName, p["ImageId"]);
        Assert.StartsWith("(", p["ImageId"]);
        Assert.Equal("(the cheapest spot zone at launch)", p["Placement.AvailabilityZone"]);

        var onDemand = Parameters(TrainingVmLauncher.Plan(Request("ami-0abc") with { Spot = null }));
        Assert.False(onDemand.ContainsKey("Placement.AvailabilityZone"));
        Assert.False(onDemand.ContainsKey("InstanceMarketOptions.MarketType"));
    }
}
