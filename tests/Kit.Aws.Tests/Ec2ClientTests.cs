using System.Globalization;
using System.Text;
using Kit.Aws.Ec2;
using Kit.Aws.Tests.Support;

namespace Kit.Aws.Tests;

/// <summary>
/// The EC2 calls through AWSSDK.EC2 against a loopback server that checks each request's form parameters and
/// its SigV4 signature (verified independently of the SDK), with throttling and error replies injected.
/// </summary>
public sealed class Ec2ClientTests : IDisposable
{
    private readonly FakeEc2 fake = new("eu-central-1");

    public void Dispose() => fake.Dispose();

    [Fact]
    public async Task DescribeInstances_sends_flattened_filters_and_parses_the_reservation()
    {
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-0a1", "running", "alice_baseline", zone: "eu-central-1b")));
        using var ec2 = fake.Client();

        var found = await ec2.DescribeInstancesAsync([Ec2Filter.Tag("Name", "alice_baseline"), new Ec2Filter("instance-state-name", "running", "stopped")]);

        var call = fake.LastCall("DescribeInstances");
        Assert.Equal("tag:Name", call["Filter.1.Name"]);
        Assert.Equal("alice_baseline", call["Filter.1.Value.1"]);
        Assert.Equal("instance-state-name", call["Filter.2.Name"]);
        Assert.Equal("running", call["Filter.2.Value.1"]);
        Assert.Equal("stopped", call["Filter.2.Value.2"]);
        var vm = Assert.Single(found);
        Assert.Equal("i-0a1", vm.InstanceId);
        Assert.Equal("running", vm.State);
        Assert.Equal("eu-central-1b", vm.AvailabilityZone);
        Assert.Equal("alice_baseline", vm.Name);
        Assert.True(vm.IsSpot);
        Assert.Equal("sir-08b93456", vm.SpotInstanceRequestId);
        Assert.Equal("ec2-203-0-113-25.us-west-2.compute.amazonaws.com", vm.PublicDnsName);
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task DescribeInstances_follows_next_token()
    {
        var page = 0;
        fake.On("DescribeInstances", form =>
        {
            page++;
            if (page == 1)
            {
                Assert.False(form.ContainsKey("NextToken"));
                return new Reply(200, Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-1", "running", "a"))
                    .Replace("</reservationSet>", "</reservationSet><nextToken>tok-2</nextToken>"));
            }
            Assert.Equal("tok-2", form["NextToken"]);
            return new Reply(200, Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-2", "stopped", "b")));
        });
        using var ec2 = fake.Client();
        var all = await ec2.DescribeInstancesAsync();
        Assert.Equal(["i-1", "i-2"], all.Select(i => i.InstanceId));
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task RunInstances_with_persistent_spot_options_block_device_tags_and_user_data()
    {
        fake.On("RunInstances", Ec2Replies.RunInstances(Ec2Replies.InstanceItem("i-new", "pending", "bob_run", dns: null)));
        using var ec2 = fake.Client();
        var spec = new LaunchSpec("ami-0abc", "g4dn.xlarge")
        {
            KeyName = "my-key", SecurityGroupIds = ["sg-1", "sg-2"], AvailabilityZone = "eu-central-1b",
            RootDeviceName = "/dev/sda1", RootVolumeGiB = 250, UserData = "#!/bin/bash\necho hé\n",
            IamInstanceProfileName = "kit-training",
            Tags = new Dictionary<string, string> { ["Name"] = "bob_run", ["kit:run"] = "bob_run" },
        };

        var vm = await ec2.RunInstancesAsync(spec, new SpotOptions(SpotRequestType.Persistent, InterruptionBehavior.Stop, 0.75m));

        var c = fake.LastCall("RunInstances");
        Assert.Equal("ami-0abc", c["ImageId"]);
        Assert.Equal("g4dn.xlarge", c["InstanceType"]);
        Assert.Equal("1", c["MinCount"]);
        Assert.Equal("1", c["MaxCount"]);
        Assert.Equal("my-key", c["KeyName"]);
        Assert.Equal("sg-1", c["SecurityGroupId.1"]);
        Assert.Equal("sg-2", c["SecurityGroupId.2"]);
        Assert.Equal("eu-central-1b", c["Placement.AvailabilityZone"]);
        Assert.Equal("kit-training", c["IamInstanceProfile.Name"]);
        Assert.Equal("/dev/sda1", c["BlockDeviceMapping.1.DeviceName"]);
        Assert.Equal("250", c["BlockDeviceMapping.1.Ebs.VolumeSize"]);
        Assert.Equal("gp3", c["BlockDeviceMapping.1.Ebs.VolumeType"]);
        Assert.Equal("#!/bin/bash\necho hé\n", Encoding.UTF8.GetString(Convert.FromBase64String(c["UserData"])));
        Assert.Equal("spot", c["InstanceMarketOptions.MarketType"]);
        Assert.Equal("persistent", c["InstanceMarketOptions.SpotOptions.SpotInstanceType"]);
        Assert.Equal("stop", c["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"]);
        Assert.Equal("0.75", c["InstanceMarketOptions.SpotOptions.MaxPrice"]);
        Assert.Equal("instance", c["TagSpecification.1.ResourceType"]);
        Assert.Equal("Name", c["TagSpecification.1.Tag.1.Key"]);
        Assert.Equal("bob_run", c["TagSpecification.1.Tag.1.Value"]);
        Assert.Equal("kit:run", c["TagSpecification.1.Tag.2.Key"]);
        Assert.Equal("volume", c["TagSpecification.2.ResourceType"]);
        Assert.Equal("i-new", vm.InstanceId);
        Assert.Equal("pending", vm.State);
        Assert.Null(vm.PublicDnsName);
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task RunInstances_one_time_spot_without_max_price_sends_no_price()
    {
        fake.On("RunInstances", Ec2Replies.RunInstances(Ec2Replies.InstanceItem("i-2", "pending", "x")));
        using var ec2 = fake.Client();
        await ec2.RunInstancesAsync(new LaunchSpec("ami-1", "p3.2xlarge"), new SpotOptions(SpotRequestType.OneTime, InterruptionBehavior.Terminate));
        var c = fake.LastCall("RunInstances");
        Assert.Equal("one-time", c["InstanceMarketOptions.SpotOptions.SpotInstanceType"]);
        Assert.Equal("terminate", c["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"]);
        Assert.False(c.ContainsKey("InstanceMarketOptions.SpotOptions.MaxPrice"));
        Assert.False(c.ContainsKey("BlockDeviceMapping.1.DeviceName"));
        Assert.False(c.ContainsKey("TagSpecification.1.ResourceType"));
    }

    [Fact]
    public async Task Persistent_spot_that_terminates_is_refused_before_calling_AWS()
    {
        using var ec2 = fake.Client();
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            ec2.RunInstancesAsync(new LaunchSpec("ami-1", "g4dn.xlarge"), new SpotOptions(SpotRequestType.Persistent, InterruptionBehavior.Terminate)));
        Assert.Contains("persistent", e.Message);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Spot_requests_are_described_and_cancelled()
    {
        // The launch asks for spot through RunInstances (above); status and terminate look up and cancel its request.
        fake.On("DescribeSpotInstanceRequests", Ec2Replies.DescribeSpotInstanceRequests(Ec2Replies.SpotRequestItem("sir-1", "active", "fulfilled", "i-77")));
        fake.On("CancelSpotInstanceRequests", Ec2Replies.CancelSpotInstanceRequests("sir-1"));
        using var ec2 = fake.Client();

        var described = Assert.Single(await ec2.DescribeSpotInstanceRequestsAsync(["sir-1"]));
        Assert.Equal("sir-1", fake.LastCall("DescribeSpotInstanceRequests")["SpotInstanceRequestId.1"]);
        Assert.Equal(("active", "i-77", "stop"), (described.State, described.InstanceId, described.InstanceInterruptionBehavior));

        var cancelled = Assert.Single(await ec2.CancelSpotInstanceRequestsAsync(["sir-1"]));
        Assert.Equal("sir-1", fake.LastCall("CancelSpotInstanceRequests")["SpotInstanceRequestId.1"]);
        Assert.Equal(("sir-1", "cancelled"), cancelled);
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task CreateImage_DescribeImages_and_DescribeSnapshots()
    {
        fake.On("CreateImage", Ec2Replies.CreateImage("ami-0new"));
        fake.On("DescribeImages", Ec2Replies.DescribeImages(Ec2Replies.ImageItem("ami-0new", "kit x", "2026-11-21T14:02:28.000Z", "pending", "snap-1", "snap-2")));
        fake.On("DescribeSnapshots", Ec2Replies.DescribeSnapshots(("snap-1", "pending", "40%"), ("snap-2", "completed", "100%")));
        using var ec2 = fake.Client();

        var id = await ec2.CreateImageAsync("i-1", "kit x step 5", "An image at 5 steps.", noReboot: true,
            new Dictionary<string, string> { ["kit:step"] = "5" });
        var c = fake.LastCall("CreateImage");
        Assert.Equal(("i-1", "kit x step 5", "An image at 5 steps.", "true"), (c["InstanceId"], c["Name"], c["Description"], c["NoReboot"]));
        Assert.Equal("image", c["TagSpecification.1.ResourceType"]);
        Assert.Equal("snapshot", c["TagSpecification.2.ResourceType"]);
        Assert.Equal("ami-0new", id);

        var image = Assert.Single(await ec2.DescribeImagesAsync(imageIds: [id]));
        Assert.Equal("ami-0new", fake.LastCall("DescribeImages")["ImageId.1"]);
        Assert.Equal(("pending", "/dev/sda1"), (image.State, image.RootDeviceName));
        Assert.Equal(["snap-1", "snap-2"], image.SnapshotIds);
        Assert.Equal(new DateTime(2026, 11, 21, 14, 2, 28, DateTimeKind.Utc), image.CreationDate);

        var snaps = await ec2.DescribeSnapshotsAsync(image.SnapshotIds);
        Assert.Equal("snap-2", fake.LastCall("DescribeSnapshots")["SnapshotId.2"]);
        Assert.Equal([40.0, 100.0], snaps.Select(s => s.Progress));
        Assert.Equal("completed", snaps[1].State);
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task Newest_deep_learning_ami_is_picked_by_creation_date_with_owner_and_name_filters()
    {
        fake.On("DescribeImages", Ec2Replies.DescribeImages(
            Ec2Replies.ImageItem("ami-old", "DLAMI 20250101", "2025-01-01T00:00:00.000Z"),
            Ec2Replies.ImageItem("ami-new", "DLAMI 20261101", "2026-11-01T00:00:00.000Z"),
            Ec2Replies.ImageItem("ami-mid", "DLAMI 20260601", "2026-06-01T00:00:00.000Z")));
        using var ec2 = fake.Client();

        var newest = await ec2.NewestImageAsync("Deep Learning Base*");

        Assert.Equal("ami-new", newest.ImageId);
        var c = fake.LastCall("DescribeImages");
        Assert.Equal("amazon", c["Owner.1"]);
        Assert.Equal(("name", "Deep Learning Base*"), (c["Filter.1.Name"], c["Filter.1.Value.1"]));
        Assert.Equal(("state", "available"), (c["Filter.2.Name"], c["Filter.2.Value.1"]));
        Assert.Equal(("architecture", "x86_64"), (c["Filter.3.Name"], c["Filter.3.Value.1"]));
    }

    [Fact]
    public async Task CreateTags_Stop_and_Terminate()
    {
        fake.On("CreateTags", Ec2Replies.CreateTags());
        fake.On("StopInstances", Ec2Replies.StateChanges("StopInstancesResponse", "i-5", "running", "stopping"));
        fake.On("TerminateInstances", Ec2Replies.StateChanges("TerminateInstancesResponse", "i-5", "stopped", "shutting-down"));
        using var ec2 = fake.Client();

        await ec2.CreateTagsAsync(["i-5", "vol-5"], new Dictionary<string, string> { ["b"] = "2", ["a"] = "1 two" });
        var t = fake.LastCall("CreateTags");
        Assert.Equal(("i-5", "vol-5"), (t["ResourceId.1"], t["ResourceId.2"]));
        Assert.Equal(("a", "1 two", "b", "2"), (t["Tag.1.Key"], t["Tag.1.Value"], t["Tag.2.Key"], t["Tag.2.Value"]));

        var stop = Assert.Single(await ec2.StopInstancesAsync(["i-5"]));
        Assert.Equal("i-5", fake.LastCall("StopInstances")["InstanceId.1"]);
        Assert.Equal(new Ec2StateChange("i-5", "running", "stopping"), stop);

        var term = Assert.Single(await ec2.TerminateInstancesAsync(["i-5"]));
        Assert.Equal(new Ec2StateChange("i-5", "stopped", "shutting-down"), term);
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task Spot_price_history_pages_are_joined_and_the_cheapest_zone_picked()
    {
        fake.On("DescribeSpotPriceHistory", form => form.ContainsKey("NextToken")
            ? new Reply(200, Ec2Replies.SpotPriceHistory(null,
                ("eu-central-1c", "0.250000", "2026-11-21T10:00:00.000Z")))
            : new Reply(200, Ec2Replies.SpotPriceHistory("page2",
                ("eu-central-1a", "0.300000", "2026-11-21T12:00:00.000Z"),
                ("eu-central-1a", "0.200000", "2026-11-21T08:00:00.000Z"),
                ("eu-central-1b", "0.210000", "2026-11-21T11:00:00.000Z"))));
        using var ec2 = fake.Client();

        var since = new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
        var history = await ec2.DescribeSpotPriceHistoryAsync("g4dn.xlarge", since);
        var report = new Kit.Aws.Spot.SpotPriceReport("g4dn.xlarge", ec2.Region, history);

        var c = fake.Calls.First(c => c["Action"] == "DescribeSpotPriceHistory");
        Assert.Equal(("g4dn.xlarge", "Linux/UNIX"), (c["InstanceType.1"], c["ProductDescription.1"]));
        Assert.Equal(since, DateTime.Parse(c["StartTime"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
        Assert.Equal(4, history.Count);
        // 1a's latest is 0.30 (its 0.20 is older), so 1b at 0.21 is the cheapest now.
        Assert.Equal("eu-central-1b", report.Cheapest!.Zone);
        Assert.Equal(["eu-central-1b", "eu-central-1c", "eu-central-1a"], report.Zones.Select(z => z.Zone));
        Assert.Equal((0.20m, 0.30m), (report.Zones[2].LowestPerHour, report.Zones[2].HighestPerHour));
        Assert.Contains("← picked", report.ToString());
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task An_error_reply_becomes_an_Ec2Exception_with_code_message_and_request_id()
    {
        fake.On("TerminateInstances", _ => new Reply(400, Ec2Replies.Error("InvalidInstanceID.NotFound",
            "The instance ID 'i-nope' does not exist", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")));
        using var ec2 = fake.Client();

        var e = await Assert.ThrowsAsync<Ec2Exception>(() => ec2.TerminateInstancesAsync(["i-nope"]));

        Assert.Equal("InvalidInstanceID.NotFound", e.Code);
        Assert.Equal("The instance ID 'i-nope' does not exist", e.AwsMessage);
        Assert.Equal("7a62c49f-347e-4fc4-9331-6e8eEXAMPLE", e.RequestId);
        Assert.Equal(400, e.HttpStatus);
        Assert.Equal("EC2 TerminateInstances failed: InvalidInstanceID.NotFound: The instance ID 'i-nope' does not exist "
            + "[request id 7a62c49f-347e-4fc4-9331-6e8eEXAMPLE]", e.Message);
        Assert.Single(fake.Calls); // not a throttle: no retry
    }

    [Fact]
    public async Task Throttling_is_retried_with_backoff_then_succeeds()
    {
        var calls = 0;
        fake.On("DescribeInstances", _ => ++calls switch
        {
            1 => new Reply(503, Ec2Replies.Error("RequestLimitExceeded", "Request limit exceeded.")),
            2 => new Reply(503, "Service Unavailable", "text/plain"),
            _ => new Reply(200, Ec2Replies.DescribeInstances(Ec2Replies.InstanceItem("i-ok", "running", "n"))),
        });
        using var ec2 = fake.Client();

        var found = await ec2.DescribeInstancesAsync();

        Assert.Equal("i-ok", Assert.Single(found).InstanceId);
        Assert.Equal(3, calls);
        fake.AssertNoCheckFailed();
    }

    [Fact]
    public async Task Persistent_throttling_gives_up_after_the_bounded_attempts_with_a_clear_error()
    {
        fake.On("DescribeSpotPriceHistory", _ => new Reply(400, Ec2Replies.Error("Throttling", "Rate exceeded")));
        using var ec2 = fake.Client(maxAttempts: 3);

        var e = await Assert.ThrowsAsync<Ec2Exception>(() => ec2.DescribeSpotPriceHistoryAsync("g4dn.xlarge"));

        Assert.Equal(3, fake.Calls.Count);
        Assert.Equal(("Throttling", 3), (e.Code, e.Attempts));
        Assert.True(e.IsThrottling);
        Assert.Contains("gave up after 3 attempts", e.Message);
    }
}
