using System.CommandLine;
using System.Diagnostics;
using Kit.Aws.Ec2;
using Kit.Aws.Launch;
using Kit.Aws.Signing;

namespace Kit.Cli.Commands.Aws;

/// <summary>
/// `kit aws launch NAME`: a spot VM for a training run. Its boot script installs the kit (the README's setup)
/// and starts or resumes `kit train` on every boot, with checkpoints synced to and resumed from S3.
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
        var checkpoints = new Option<string>("--checkpoints") { Description = "Where checkpoints sync, e.g. s3://my-bucket/runs (the run's name is appended).", Required = true };
        var repo = new Option<string?>("--repo") { Description = "Git URL the VM clones the kit from (default: this checkout's origin)." };
        var gitRef = new Option<string>("--ref") { Description = "Branch or tag to check out.", DefaultValueFactory = _ => "main" };
        var trainArgs = new Option<string[]>("--train-arg") { Description = "An argument for `kit train` on the VM (repeatable, in order).", DefaultValueFactory = _ => [] };
        var printUserData = new Option<bool>("--print-user-data") { Description = "Print the boot script and exit without launching." };
        var cmd = new Command("launch", "Launch a spot VM that installs the kit and starts or resumes training on every boot.")
        {
            name, type, ami, amiName, amiOwner, disk, key, groups, profile, zone, onDemand, spotType, interruption, maxPrice,
            checkpoints, repo, gitRef, trainArgs, printUserData,
        };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard("launch", async () =>
        {
            var runName = pr.GetValue(name)!;
            var region = AwsSession.ResolveRegion(pr.GetValue(options.Region));
            var run = new TrainingRunSettings(runName,
                pr.GetValue(repo) ?? OriginUrl() ?? throw new ArgumentException("no git origin here: pass --repo URL"),
                pr.GetValue(checkpoints)!.TrimEnd('/') + "/" + runName, region)
            {
                RepoRef = pr.GetValue(gitRef)!,
                TrainArgs = pr.GetValue(trainArgs) ?? [],
            };
            if (pr.GetValue(printUserData))
            {
                Console.Write(UserDataScript.Render(run));
                return 0;
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

    private static string? OriginUrl()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "remote get-url origin") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var url = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && url.Length > 0 ? url : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
