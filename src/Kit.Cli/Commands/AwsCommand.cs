using System.CommandLine;
using Kit.Cli.Commands.Aws;

namespace Kit.Cli.Commands;

/// <summary>`kit aws …`: train on AWS spot instances (the AWS guide's steps, done by the kit).</summary>
public sealed class AwsCommand : IKitCommand
{
    public Command Create()
    {
        var options = new AwsCliOptions();
        var aws = new Command("aws", "Train on AWS spot instances: launch, image, status, stop, terminate, ssh, prices, fetch-dataset.")
        {
            options.Region, options.Ec2Endpoint,
        };
        aws.Subcommands.Add(AwsLaunch.Create(options));
        aws.Subcommands.Add(AwsImage.Create(options));
        aws.Subcommands.Add(AwsStatus.Create(options));
        aws.Subcommands.Add(AwsStop.Create(options, terminate: false));
        aws.Subcommands.Add(AwsStop.Create(options, terminate: true));
        aws.Subcommands.Add(AwsSsh.Create(options));
        aws.Subcommands.Add(AwsPrices.Create(options));
        aws.Subcommands.Add(AwsFetchDataset.Create());
        return aws;
    }
}
