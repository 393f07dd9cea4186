using Kit.Aws.Ec2;
using Kit.Aws.Tests.Support;

namespace Kit.Aws.Tests;

public sealed class Ec2QueryTests
{
    [Fact]
    public void Lists_structures_and_tags_flatten_with_one_based_indices()
    {
        var q = new Ec2Query("DescribeInstances")
            .AddList("InstanceId", ["i-1", "i-2"])
            .AddFilters([Ec2Filter.Tag("Name", "a b"), new Ec2Filter("instance-state-name", "running")])
            .AddTagSpecifications(new Dictionary<string, string> { ["Name"] = "x" }, "instance", "volume");
        var form = FakeEc2.ParseForm(q.ToFormBody());
        Assert.Equal(new Dictionary<string, string>
        {
            ["Action"] = "DescribeInstances", ["Version"] = "2016-11-15",
            ["InstanceId.1"] = "i-1", ["InstanceId.2"] = "i-2",
            ["Filter.1.Name"] = "tag:Name", ["Filter.1.Value.1"] = "a b",
            ["Filter.2.Name"] = "instance-state-name", ["Filter.2.Value.1"] = "running",
            ["TagSpecification.1.ResourceType"] = "instance", ["TagSpecification.1.Tag.1.Key"] = "Name", ["TagSpecification.1.Tag.1.Value"] = "x",
            ["TagSpecification.2.ResourceType"] = "volume", ["TagSpecification.2.Tag.1.Key"] = "Name", ["TagSpecification.2.Tag.1.Value"] = "x",
        }, form);
    }

    [Fact]
    public void Body_escapes_per_RFC_3986_and_skips_null_values()
    {
        var body = new Ec2Query("CreateImage").Add("Name", "kit run (1)/step 5").Add("Description", (string?)null).ToFormBody();
        Assert.Equal("Action=CreateImage&Version=2016-11-15&Name=kit%20run%20%281%29%2Fstep%205", body);
    }
}
