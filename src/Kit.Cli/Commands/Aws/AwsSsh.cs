using System.CommandLine;
using Kit.Aws.Ec2;
using Kit.Aws.Launch;

namespace Kit.Cli.Commands.Aws;

/// <summary>`kit aws ssh-command NAME`: prints the ssh command line for the VM (nothing is run).</summary>
internal static class AwsSsh
{
    public static Command Create(AwsCliOptions options)
    {
        var name = new Argument<string>("name") { Description = "The VM's Name tag." };
        var user = new Option<string>("--user") { Description = "Login user (ubuntu on the Ubuntu Deep Learning AMIs).", DefaultValueFactory = _ => "ubuntu" };
        var keyDir = new Option<string>("--key-dir") { Description = "Where KEYNAME.pem lives.", DefaultValueFactory = _ => "~/.ssh" };
        var cmd = new Command("ssh-command", "Print the ssh command that logs into a training VM (and follows its training log).") { name, user, keyDir };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard("ssh-command", async () =>
        {
            using var ec2 = options.Connect(pr);
            var vm = await ec2.FindByNameAsync(pr.GetValue(name)!, ct);
            var host = vm.PublicDnsName ?? vm.PublicIpAddress
                ?? throw new InvalidOperationException($"{vm.InstanceId} ({vm.State}) has no public address; start it or use a bastion.");
            var key = vm.KeyName is null ? "" : $"-i {pr.GetValue(keyDir)}/{vm.KeyName}.pem ";
            Console.WriteLine($"ssh {key}{Shell.Quote(pr.GetValue(user)! + "@" + host)} tail -f /var/log/kit/train.log");
            return 0;
        }));
        return cmd;
    }
}
