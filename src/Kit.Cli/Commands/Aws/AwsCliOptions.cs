using System.CommandLine;
using Kit.Aws.Ec2;
using Kit.Aws;
using Kit.Cli.Failures;

namespace Kit.Cli.Commands.Aws;

/// <summary>Options every `kit aws` subcommand takes, and the one way they connect and report errors.</summary>
public sealed class AwsCliOptions
{
    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's region).",
        Recursive = true,
    };

    public Option<string?> Ec2Endpoint { get; } = new("--ec2-endpoint")
    {
        Description = "EC2 endpoint URL (default https://ec2.REGION.amazonaws.com/); for EC2-compatible test servers.",
        Recursive = true,
        Hidden = true,
    };

    public Ec2Client Connect(ParseResult pr) =>
        new(AwsSession.FromEnvironment(pr.GetValue(Region)), pr.GetValue(Ec2Endpoint) is { } url ? new Uri(url) : null);

    /// <summary>Runs a subcommand body; its failures are reported as every command's are (<see cref="FailureReport"/>).</summary>
    public static async Task<int> Guard(string command, Func<Task<int>> body)
    {
        try { return await body(); }
        catch (Exception e) { return FailureReport.Write($"aws {command}", e, Console.Error); }
    }
}
