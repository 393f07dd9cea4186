using System.Globalization;
using System.Xml.Linq;

namespace Kit.Aws.Ec2;

/// <summary>Reads EC2's XML (namespace http://ec2.amazonaws.com/doc/2016-11-15/) into the kit's records.</summary>
internal static class Ec2Xml
{
    private static readonly XNamespace Ns = Ec2Client.Ns;

    public static string? Text(this XElement? e, string name) => e?.Element(Ns + name)?.Value;

    public static XElement? Child(this XElement? e, params string[] path)
    {
        foreach (var p in path) e = e?.Element(Ns + p);
        return e;
    }

    /// <summary>The &lt;item&gt; children of a set element (instancesSet, tagSet, ...).</summary>
    public static IEnumerable<XElement> Items(this XElement? e, string setName) =>
        e?.Element(Ns + setName)?.Elements(Ns + "item") ?? [];

    public static DateTime? Date(this XElement? e, string name) =>
        e.Text(name) is { } s ? DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : null;

    public static int? Int(this XElement? e, string name) =>
        e.Text(name) is { } s && int.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static IReadOnlyDictionary<string, string> Tags(this XElement e) =>
        e.Items("tagSet").ToDictionary(t => t.Text("key") ?? "", t => t.Text("value") ?? "", StringComparer.Ordinal);

    public static Ec2Instance Instance(XElement e) => new(
        e.Text("instanceId") ?? throw Missing("instanceId"),
        e.Text("imageId"),
        e.Child("instanceState").Text("name") ?? "unknown",
        e.Text("instanceType"),
        e.Child("placement").Text("availabilityZone"),
        NullIfEmpty(e.Text("dnsName")),
        e.Text("ipAddress"),
        e.Text("privateIpAddress"),
        e.Text("keyName"),
        e.Date("launchTime"),
        e.Text("instanceLifecycle"),
        e.Text("spotInstanceRequestId"),
        e.Tags());

    public static Ec2Image Image(XElement e) => new(
        e.Text("imageId") ?? throw Missing("imageId"),
        e.Text("name"),
        e.Text("description"),
        e.Text("imageState") ?? "unknown",
        e.Date("creationDate"),
        e.Text("imageOwnerId"),
        e.Text("architecture"),
        e.Text("rootDeviceName"),
        e.Items("blockDeviceMapping").Select(b => b.Child("ebs").Text("snapshotId")).OfType<string>().ToList(),
        e.Tags());

    public static Ec2Snapshot Snapshot(XElement e) => new(
        e.Text("snapshotId") ?? throw Missing("snapshotId"),
        e.Text("volumeId"),
        e.Text("status") ?? "unknown",
        double.TryParse((e.Text("progress") ?? "").TrimEnd('%'), CultureInfo.InvariantCulture, out var p) ? p : 0,
        e.Int("volumeSize"),
        e.Date("startTime"));

    public static SpotInstanceRequest SpotRequest(XElement e) => new(
        e.Text("spotInstanceRequestId") ?? throw Missing("spotInstanceRequestId"),
        e.Text("state") ?? "unknown",
        e.Child("status").Text("code"),
        e.Child("status").Text("message"),
        e.Text("type"),
        e.Text("instanceId"),
        e.Text("spotPrice"),
        e.Text("instanceInterruptionBehavior"),
        e.Text("launchedAvailabilityZone") ?? e.Child("launchSpecification", "placement").Text("availabilityZone"));

    public static SpotPrice Price(XElement e) => new(
        e.Text("instanceType") ?? "",
        e.Text("availabilityZone") ?? "",
        e.Text("productDescription") ?? "",
        decimal.Parse(e.Text("spotPrice") ?? throw Missing("spotPrice"), CultureInfo.InvariantCulture),
        e.Date("timestamp") ?? throw Missing("timestamp"));

    public static Ec2StateChange StateChange(XElement e) => new(
        e.Text("instanceId") ?? throw Missing("instanceId"),
        e.Child("previousState").Text("name") ?? "unknown",
        e.Child("currentState").Text("name") ?? "unknown");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static FormatException Missing(string element) =>
        new($"EC2 reply lacks <{element}> where the 2016-11-15 API documents it");
}
