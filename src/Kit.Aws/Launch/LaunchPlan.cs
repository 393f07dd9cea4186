using System.Net;
using System.Text;
using Amazon.EC2.Model;
using Amazon.EC2.Model.Internal.MarshallTransformations;
using Kit.Aws.Ec2;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Aws.Launch;

/// <summary>
/// A launch that was planned but not sent (`dryRun` in notebooks/aws): the RunInstances parameters as
/// AWSSDK.EC2's own marshaller puts them on the wire, with the user data shown as the script it decodes to,
/// so a person reads exactly what AWS would get.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class LaunchPlan(TrainingVmRequest request, LaunchSpec spec, RunInstancesRequest sdkRequest) : IRenderable
{
    public TrainingVmRequest Request { get; } = request;

    public LaunchSpec Spec { get; } = spec;

    /// <summary>The SDK request as it would be sent (the user data base64, as EC2 wants it).</summary>
    public RunInstancesRequest SdkRequest { get; } = sdkRequest;

    public string Action => "RunInstances";

    /// <summary>
    /// The form parameters in the SDK's order, less ClientToken (a fresh idempotency GUID on every send) and
    /// Action/Version.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } =
        RunInstancesRequestMarshaller.Instance.Marshall(sdkRequest).Parameters
            .Where(p => p.Key is not ("ClientToken" or "Action" or "Version"))
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList();

    public string UserData => Spec.UserData ?? "";

    /// <summary>"Name=value" lines in send order; the user data as its size, the script follows in full.</summary>
    public IEnumerable<string> ParameterLines() => Parameters.Select(p =>
        p.Key == "UserData" ? $"UserData=(base64 of the boot script below, {Encoding.UTF8.GetByteCount(UserData)} bytes)" : $"{p.Key}={p.Value}");

    public override string ToString() =>
        $"Dry run: {Action} for {Request.Name} ({Request.InstanceType}), not sent\n"
        + string.Join('\n', ParameterLines().Select(l => "  " + l))
        + "\n--- user data ---\n" + UserData;

    public IReadOnlyList<Rendering> Render() =>
    [
        new(Rendering.Html,
            $"<div><b>Dry run</b>: {WebUtility.HtmlEncode(Action)} for <b>{WebUtility.HtmlEncode(Request.Name)}</b> "
            + $"({WebUtility.HtmlEncode(Request.InstanceType)}), not sent"
            + $"<pre>{WebUtility.HtmlEncode(string.Join('\n', ParameterLines()))}</pre>"
            + $"<details><summary>user data (the boot script)</summary><pre>{WebUtility.HtmlEncode(UserData)}</pre></details></div>"),
        new(Rendering.Text, ToString()),
    ];
}
