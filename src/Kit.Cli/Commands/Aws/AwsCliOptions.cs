using System.CommandLine;
using Kit.Aws.Ec2;
using Kit.Aws;

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

    /// <summary>Runs a subcommand body; AWS and setup errors become one readable line and exit code 1.</summary>
    public static async Task<int> Guard(string command, Func<Task<int>> body)
    {
        try { return await body(); }
        catch (Exception e) when (e is Ec2Exception or AwsConfigurationException or InstanceNotFoundException
                                      or InvalidOperationException or ArgumentException or HttpRequestException
                                      or IOException or InvalidDataException or Amazon.Runtime.AmazonServiceException)
        {
            Console.Error.WriteLine($"kit aws {command}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"kit aws {command}: cancelled");
            return 130;
        }
    }
}
