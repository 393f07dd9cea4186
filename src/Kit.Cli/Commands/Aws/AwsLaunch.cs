using System.CommandLine;
using System.Diagnostics;
using Kit.Aws.Ec2;
using Kit.Aws.Datasets;
using Kit.Aws.Launch;
using Kit.Aws.Spot;
using Kit.Aws;

namespace Kit.Cli.Commands.Aws;

/// <summary>
/// `kit aws launch NAME`: a spot VM for a training run. Its boot script installs the kit (the README's setup,
/// built for the VM's GPU), fetches the run's dataset, and starts or resumes `kit train` on every boot, with
/// checkpoints synced to and resumed from S3. With --dataset the dataset is checked and uploaded first.
/// </summary>
internal static class AwsLaunch
{
    public static Command Create(AwsCliOptions options)
    {
        var name = new Argument<string>("name") { Description = "The VM's Name tag and the run's name, e.g. alice_baseline." };
        var type = new Option<string>("--instance-type") { Description = "EC2 instance type.", DefaultValueFactory = _ => "g4dn.xlarge" };
        var ami = new Option<string?>("--ami") { Description = "AMI id (e.g. an image made by `kit aws image`); default: the newest matching --ami-name." };
        var amiName = new Option<string>("--ami-name") { Description = "Name pattern for the newest AMI.", DefaultValueFactory = _ => AmiLookup.DefaultDeepLearningAmiName };
        var amiOwner = new Option<string>("--ami-owner") { Description = "Owner of --ami-name images.", DefaultValueFactory = _ => "amazon" };
        var disk = new Option<int>("--disk-gb") { Description = "Root disk size in GiB (gp3).", DefaultValueFactory = _ => 200 };
        var key = new Option<string?>("--key-name") { Description = "EC2 key pair for ssh." };
        var groups = new Option<string[]>("--security-group") { Description = "Security group id (repeatable).", DefaultValueFactory = _ => [] };
        var profile = new Option<string?>("--iam-instance-profile") { Description = "Instance profile whose role may read and write the checkpoint bucket." };
        var zone = new Option<string?>("--zone") { Description = "Availability zone; default: the cheapest spot price now." };
        var onDemand = new Option<bool>("--on-demand") { Description = "Launch on demand instead of spot." };
        var spotType = new Option<string>("--spot-type") { Description = "one-time, or persistent (AWS relaunches it after an interruption).", DefaultValueFactory = _ => "persistent" };
        spotType.AcceptOnlyFromAmong("persistent", "one-time");
        var interruption = new Option<string>("--interruption") { Description = "What AWS does to the VM on interruption.", DefaultValueFactory = _ => "stop" };
        interruption.AcceptOnlyFromAmong("stop", "terminate", "hibernate");
        var maxPrice = new Option<decimal?>("--max-price") { Description = "Highest $/hour to pay (default: the on-demand price)." };
        var checkpoints = new Option<string>("--checkpoints") { Description = "The runs' S3 prefix, e.g. s3://my-bucket/runs: checkpoints go to PREFIX/NAME/checkpoints, the dataset to PREFIX/NAME/dataset.", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "A dataset folder to check, upload (only what the store lacks) and fetch on the VM before training." };
        var datasetOnVm = new Option<string?>("--dataset-dir-on-vm") { Description = "Where the VM puts the dataset (default: its place in this checkout, under the VM's kit folder; else its absolute path)." };
        var repo = new Option<string?>("--repo") { Description = "Git URL the VM clones the kit from (default: this checkout's origin)." };
        var gitRef = new Option<string>("--ref") { Description = "Branch or tag to check out.", DefaultValueFactory = _ => "main" };
        var trainArgs = new Option<string[]>("--train-arg") { Description = "An argument for `kit train` on the VM (repeatable, in order).", DefaultValueFactory = _ => [] };
        var printUserData = new Option<bool>("--print-user-data") { Description = "Print the boot script and exit without launching." };
        var cmd = new Command("launch", "Launch a spot VM that installs the kit and starts or resumes training on every boot.")
        {
            name, type, ami, amiName, amiOwner, disk, key, groups, profile, zone, onDemand, spotType, interruption, maxPrice,
            checkpoints, dataset, datasetOnVm, repo, gitRef, trainArgs, printUserData,
        };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard("launch", async () =>
        {
            var runName = pr.GetValue(name)!;
            var region = AwsSession.ResolveRegion(pr.GetValue(options.Region));
            var addresses = RunAddresses.For(pr.GetValue(checkpoints)!, runName);
            var run = new TrainingRunSettings(runName,
                pr.GetValue(repo) ?? Git("remote get-url origin") ?? throw new ArgumentException("no git origin here: pass --repo URL"),
                addresses.Checkpoints, region)
            {
                RepoRef = pr.GetValue(gitRef)!,
                TrainArgs = pr.GetValue(trainArgs) ?? [],
            };
            var datasetDir = pr.GetValue(dataset);
            if (datasetDir is not null)
            {
                run = run with
                {
                    DatasetStore = addresses.Dataset,
                    DatasetDir = pr.GetValue(datasetOnVm) ?? RunAddresses.DatasetDirOnVm(datasetDir, RunAddresses.KitCheckout(), run.KitDir),
                };
            }
            if (pr.GetValue(printUserData))
            {
                Console.Write(UserDataScript.Render(run));
                return 0;
            }
            if (datasetDir is not null)
            {
                var report = DatasetStore.Check(datasetDir);
                Console.WriteLine($"dataset {Path.GetFullPath(datasetDir)}: checked ({report.Entries.Count} list entries, no errors)");
                await using var store = DatasetStore.Open(addresses.Dataset, SpotTrainingGuard.S3FromEnvironment());
                var upload = await store.UploadAsync(datasetDir, ct: ct);
                Console.WriteLine($"{upload} → {addresses.Dataset}; the VM fetches it into {run.DatasetDir}");
            }
            var request = new TrainingVmRequest(runName, pr.GetValue(type)!, run)
            {
                ImageId = pr.GetValue(ami),
                AmiNamePattern = pr.GetValue(amiName)!,
                AmiOwner = pr.GetValue(amiOwner)!,
                DiskGiB = pr.GetValue(disk),
                KeyName = pr.GetValue(key),
                SecurityGroupIds = pr.GetValue(groups) ?? [],
                IamInstanceProfileName = pr.GetValue(profile),
                AvailabilityZone = pr.GetValue(zone),
                Spot = pr.GetValue(onDemand) ? null : SpotOptions.Parse(pr.GetValue(spotType)!, pr.GetValue(interruption)!, pr.GetValue(maxPrice)),
            };
            using var ec2 = options.Connect(pr);
            var launch = await TrainingVmLauncher.LaunchAsync(ec2, request, Console.WriteLine, ct);
            if (launch.Prices is { } prices) Console.WriteLine(prices.ToString());
            Console.WriteLine($"launched {runName}: {launch.Instance.InstanceId}; checkpoints sync to {run.CheckpointStore}");
            Console.WriteLine($"follow it: kit aws status {runName}   log in: eval \"$(kit aws ssh-command {runName})\"");
            return 0;
        }));
        return cmd;
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var url = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && url.Length > 0 ? url : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
