using System.Net.Sockets;
using Amazon.Runtime;
using Kit.Aws;
using Kit.Aws.Ec2;
using Kit.Data.Datasets;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Data;
using Kit.Training.Parameters;

namespace Kit.Cli.Failures;

/// <summary>
/// The one place a failure becomes what a person reads: one line, "kit COMMAND: what happened", naming the
/// file, line and setting when the failure knows them, and the exit code of <see cref="ExitCodes"/>. Commands
/// let their failures propagate here instead of each catching its own list.
/// </summary>
public static class FailureReport
{
    public static int Write(string command, Exception failure, TextWriter error)
    {
        var e = Unwrap(failure);
        var (code, message) = Describe(e);
        error.WriteLine($"kit {command}: {OneLine(message)}");
        if (Environment.GetEnvironmentVariable("KIT_DEBUG") == "1") error.WriteLine(failure.ToString());
        return code;
    }

    public static (int Code, string Message) Describe(Exception e) => e switch
    {
        RunFolderInUseException => (ExitCodes.RunFolderInUse, e.Message),
        ConfigFormatException or DatasetLoadException or FileNotFoundException or DirectoryNotFoundException or ParameterException
            => (ExitCodes.BadInput, e.Message),
        OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
        // Before the SDK's own types: Ec2Client turns EC2's replies into these, with the action and request id.
        Ec2Exception or AwsConfigurationException or InstanceNotFoundException => (ExitCodes.Failed, e.Message),
        AmazonServiceException s => (ExitCodes.Failed, $"the S3 store refused the request: {s.ErrorCode ?? s.StatusCode.ToString()} ({s.Message})"),
        AmazonClientException => (ExitCodes.Failed, $"could not reach the S3 store: {e.Message}"),
        HttpRequestException h => (ExitCodes.Failed, $"could not reach {(h.InnerException is SocketException ? "the server" : "the service")}: {e.Message}"),
        Google.GoogleApiException g => (ExitCodes.Failed, $"Google Drive refused the request: {g.Message}"),
        IOException or InvalidDataException or InvalidOperationException or ArgumentException
            or UnauthorizedAccessException or FormatException or TimeoutException or NotSupportedException
            or System.Text.Json.JsonException => (ExitCodes.Failed, e.Message),
        _ => (ExitCodes.InternalError, $"unexpected {e.GetType().Name}: {e.Message} (a fault in the kit; KIT_DEBUG=1 prints the details)"),
    };

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    /// <summary>Messages from libraries can span lines; the person gets one.</summary>
    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
