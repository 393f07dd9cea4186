using Kit.Aws.Ec2;
using Kit.Aws.Launch;
using Kit.Aws.Spot;
using Kit.Aws.Tests.Support;

namespace Kit.Aws.Tests;

public sealed class CostAndImageTests
{
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Cost_is_price_times_elapsed_hours_and_keeps_what_accrued_before_a_price_change()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));
        var cost = new CostTracker("g4dn.12xlarge", "us-west-2b", 1.17m, clock);
        clock.Now += TimeSpan.FromHours(2);
        Assert.Equal(2.34m, decimal.Round(cost.CostSoFar, 6));
        cost.UpdatePrice(2.00m);
        clock.Now += TimeSpan.FromMinutes(30);
        Assert.Equal(3.34m, decimal.Round(cost.CostSoFar, 6));
        Assert.Equal("g4dn.12xlarge spot in us-west-2b: $2.0000/h × 2.50 h = $3.34", cost.ToString());
    }

    [Fact]
    public void Image_names_are_unique_by_time_and_use_only_characters_AMIs_allow()
    {
        var name = ImageBuilder.ImageName("alice_baseline:v2 é", 150_000, new DateTime(2026, 11, 21, 23, 34, 0, DateTimeKind.Utc));
        Assert.Equal("kit alice_baseline-v2 - step 150000 2026-11-21T2334Z", name);
        Assert.Equal("Kit training run r, experiment 28c3b1e6, at 5 steps. https://x",
            ImageBuilder.Description("r", "28c3b1e6", 5, "https://x"));
    }

    [Fact]
    public async Task Following_an_image_reports_snapshot_progress_until_available()
    {
        using var fake = new FakeEc2();
        var looks = 0;
        fake.On("DescribeImages", _ => ++looks switch
        {
            1 => new Reply(400, Ec2Replies.Error("InvalidAMIID.NotFound", "The image id '[ami-9]' does not exist")), // eventual consistency
            2 => new Reply(200, Ec2Replies.DescribeImages()), // listed as nothing yet
            3 or 4 => new Reply(200, Ec2Replies.DescribeImages(Ec2Replies.ImageItem("ami-9", "kit r", "2026-11-21T00:00:00.000Z", "pending", "snap-a", "snap-b"))),
            _ => new Reply(200, Ec2Replies.DescribeImages(Ec2Replies.ImageItem("ami-9", "kit r", "2026-11-21T00:00:00.000Z", "available", "snap-a", "snap-b"))),
        });
        var snapLooks = 0;
        fake.On("DescribeSnapshots", _ => ++snapLooks == 1
            ? new Reply(200, Ec2Replies.DescribeSnapshots(("snap-a", "pending", "20%"), ("snap-b", "pending", "60%")))
            : new Reply(200, Ec2Replies.DescribeSnapshots(("snap-a", "pending", "90%"), ("snap-b", "completed", "100%"))));
        using var ec2 = fake.Client();
        var seen = new List<ImageProgress>();

        var image = await ImageBuilder.FollowAsync(ec2, "ami-9", new SyncProgress<ImageProgress>(seen.Add), TimeSpan.FromMilliseconds(1));

        Assert.Equal("available", image.State);
        Assert.Equal([("pending", 0.0), ("pending", 0.0), ("pending", 40.0), ("pending", 95.0), ("available", 100.0)], seen.Select(p => (p.State, p.Percent)));
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task A_failed_image_stops_the_follow_with_the_reason()
    {
        using var fake = new FakeEc2();
        fake.On("DescribeImages", Ec2Replies.DescribeImages(Ec2Replies.ImageItem("ami-9", "kit r", "2026-11-21T00:00:00.000Z", "failed", "snap-a")));
        fake.On("DescribeSnapshots", Ec2Replies.DescribeSnapshots(("snap-a", "error", "12%")));
        using var ec2 = fake.Client();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ImageBuilder.FollowAsync(ec2, "ami-9", new SyncProgress<ImageProgress>(_ => { }), TimeSpan.FromMilliseconds(1)));
        Assert.Contains("ami-9 ended failed (snapshot snap-a failed)", e.Message);
    }

    [Fact]
    public async Task Launch_picks_the_newest_image_and_cheapest_zone_and_sizes_the_root_disk()
    {
        using var fake = new FakeEc2("us-west-2");
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances());
        fake.On("DescribeImages", Ec2Replies.DescribeImages(
            Ec2Replies.ImageItem("ami-old", "DL 1", "2025-01-01T00:00:00.000Z"), Ec2Replies.ImageItem("ami-new", "DL 2", "2026-10-01T00:00:00.000Z")));
        fake.On("DescribeSpotPriceHistory", Ec2Replies.SpotPriceHistory(null,
            ("us-west-2a", "0.5260", DateTime.UtcNow.AddHours(-1).ToString("o")), ("us-west-2c", "0.3100", DateTime.UtcNow.AddHours(-2).ToString("o"))));
        fake.On("RunInstances", Ec2Replies.RunInstances(Ec2Replies.InstanceItem("i-run", "pending", "alice_baseline", zone: "us-west-2c")));
        using var ec2 = fake.Client();
        var request = new TrainingVmRequest("alice_baseline", "g4dn.xlarge",
            new TrainingRunSettings("alice_baseline", "https://example.com/kit.git", "s3://b/runs/alice_baseline", "us-west-2"))
        { KeyName = "k", SecurityGroupIds = ["sg-1"], DiskGiB = 300 };

        var launch = await TrainingVmLauncher.LaunchAsync(ec2, request);

        Assert.Equal(("i-run", "ami-new", "us-west-2c"), (launch.Instance.InstanceId, launch.Image.ImageId, launch.Zone));
        var run = fake.LastCall("RunInstances");
        Assert.Equal(("ami-new", "us-west-2c", "/dev/sda1", "300"),
            (run["ImageId"], run["Placement.AvailabilityZone"], run["BlockDeviceMapping.1.DeviceName"], run["BlockDeviceMapping.1.Ebs.VolumeSize"]));
        Assert.Equal(("persistent", "stop"), (run["InstanceMarketOptions.SpotOptions.SpotInstanceType"], run["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"]));
        Assert.Contains("s3://b/runs/alice_baseline", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(run["UserData"])));
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task Launch_refuses_a_name_that_is_taken()
    {
        using var fake = new FakeEc2();
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-old", "stopped", "taken")));
        using var ec2 = fake.Client();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TrainingVmLauncher.LaunchAsync(ec2,
            new TrainingVmRequest("taken", "g4dn.xlarge", new TrainingRunSettings("taken", "r", "s3://b/p", "us-west-2"))));
        Assert.Contains("i-old", e.Message);
        Assert.DoesNotContain(fake.Calls, c => c["Action"] == "RunInstances");
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
