using System.Text;
using Kit.Aws.Tests.Support;
using Kit.TestSupport;

namespace Kit.Aws.Tests;

/// <summary>
/// `kit aws launch --dataset DIR` against the loopback EC2 and s3rver: the dataset is checked, uploaded to the
/// run's prefix before the VM is asked for (a second launch sends only what changed), and the boot script the
/// VM gets fetches it from there.
/// </summary>
public sealed class AwsLaunchDatasetTests(S3rver s3) : IClassFixture<S3rver>, IDisposable
{
    // s3rver knows one key pair; the fake EC2 checks signatures made with the same one.
    private readonly FakeEc2 fake = new("us-east-1", "S3RVER", "S3RVER");
    private readonly TempDir temp = new("kit-aws-launch-dataset");

    public void Dispose()
    {
        fake.Dispose();
        temp.Dispose();
    }

    private (int Code, string Out, string Err) Kit(params string[] args) =>
        KitCli.Run(new Dictionary<string, string?>(s3.KitEnvironment(fake.Region)) { ["AWS_EC2_METADATA_DISABLED"] = "true" }, args);

    private (int Code, string Out, string Err) Launch(string dataset) => Kit("aws", "launch", "alice_baseline",
        "--ec2-endpoint", fake.Endpoint.ToString(), "--ami", "ami-0given", "--on-demand",
        "--checkpoints", s3.Address("runs"), "--dataset", dataset, "--repo", "https://example.invalid/kit.git",
        "--train-arg", "runs/alice/run.yml");

    [Fact]
    public void The_dataset_is_uploaded_once_and_the_boot_script_fetches_it_from_the_runs_prefix()
    {
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances());
        fake.On("DescribeImages", Ec2Replies.DescribeImages(Ec2Replies.ImageItem("ami-0given", "kit image", "2026-11-01T00:00:00.000Z")));
        fake.On("RunInstances", Ec2Replies.RunInstances(Ec2Replies.InstanceItem("i-0new", "pending", "alice_baseline", lifecycle: "on-demand")));
        var dataset = SampleDatasets.CopyTo(temp["data"], clips: 4);
        var files = DatasetFiles.Hashes(dataset).Count;
        var contents = DatasetFiles.Hashes(dataset).Values.Distinct().Count();

        var (code, output, error) = Launch(dataset);

        Assert.True(code == 0, error + output);
        Assert.Contains($"dataset: {files} files", output);
        Assert.Contains($"uploaded {contents} new", output);
        Assert.Contains($"→ {s3.Address("runs/alice_baseline/dataset")}", output);
        var userData = Encoding.UTF8.GetString(Convert.FromBase64String(fake.LastCall("RunInstances")["UserData"]));
        Assert.Contains($"KIT_DATASET_STORE='{s3.Address("runs/alice_baseline/dataset")}'", userData);
        Assert.Contains($"KIT_DATASET_DIR='{dataset}'", userData); // outside the checkout: the same absolute path
        Assert.Contains($"KIT_CHECKPOINT_STORE='{s3.Address("runs/alice_baseline/checkpoints")}'", userData);
        fake.AssertNoCheckFailed();

        // Launched again (another VM for the same run): nothing new goes up; one changed clip does.
        (code, output, error) = Launch(dataset);
        Assert.True(code == 0, error + output);
        Assert.Contains("uploaded 0 new (0 B)", output);
        var wav = Directory.GetFiles(Path.Combine(dataset, "wavs"))[0];
        File.WriteAllBytes(wav, File.ReadAllBytes(wav).Concat(new byte[2]).ToArray());
        (code, output, error) = Launch(dataset);
        Assert.True(code == 0, error + output);
        Assert.Contains("uploaded 1 new", output);
        Assert.Equal(3, fake.Calls.Count(c => c["Action"] == "RunInstances"));
    }

    [Fact]
    public void A_dataset_that_fails_its_check_is_one_line_and_no_VM_is_launched()
    {
        fake.On("DescribeInstances", Ec2Replies.DescribeInstances());
        fake.On("DescribeImages", Ec2Replies.DescribeImages(Ec2Replies.ImageItem("ami-0given", "kit image", "2026-11-01T00:00:00.000Z")));
        var dataset = SampleDatasets.CopyTo(temp["broken"], clips: 4);
        File.Delete(Directory.GetFiles(Path.Combine(dataset, "wavs"))[0]);

        var (code, _, error) = Launch(dataset);

        Assert.Equal(1, code);
        Assert.StartsWith($"kit aws launch: --dataset {dataset}: ", error);
        Assert.Contains(" error(s) in the dataset check, first: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain(fake.Calls, c => c["Action"] == "RunInstances");
    }

    [Fact]
    public void Print_user_data_shows_the_GPU_build_and_the_dataset_fetch_without_uploading()
    {
        var dataset = SampleDatasets.CopyTo(temp["data"], clips: 4);
        var (code, output, error) = Kit("aws", "launch", "bob", "--checkpoints", "s3://bucket/runs", "--dataset", dataset,
            "--repo", "https://example.invalid/kit.git", "--region", "us-east-1", "--print-user-data");
        Assert.True(code == 0, error);
        Assert.Contains("KIT_DATASET_STORE='s3://bucket/runs/bob/dataset'", output);
        Assert.Contains("./kit aws fetch-dataset \"$KIT_DATASET_STORE\" \"$KIT_DATASET_DIR\"", output);
        Assert.Contains("nvidia-smi -L", output);
        Assert.Empty(fake.Calls);
    }
}
