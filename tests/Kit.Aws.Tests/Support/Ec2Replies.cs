namespace Kit.Aws.Tests.Support;

/// <summary>
/// EC2 replies shaped as AWS's API reference documents them (namespace http://ec2.amazonaws.com/doc/2016-11-15/,
/// item lists, the Response/Errors/Error shape for failures).
/// </summary>
public static class Ec2Replies
{
    private const string Ns = "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";
    private const string RequestId = "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>";

    public static string Error(string code, string message, string requestId = "ea966190-f9aa-478e-9ede-example") =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{requestId}</RequestID></Response>";

    public static string InstanceItem(string id, string state, string name, string zone = "us-west-2b", string? dns = "ec2-203-0-113-25.us-west-2.compute.amazonaws.com",
        string lifecycle = "spot", string? spotRequest = "sir-08b93456") => $"""
        <item>
          <instanceId>{id}</instanceId>
          <imageId>ami-0abcdef1234567890</imageId>
          <instanceState><code>{(state == "running" ? 16 : 0)}</code><name>{state}</name></instanceState>
          <privateDnsName>ip-10-0-0-157.us-west-2.compute.internal</privateDnsName>
          <dnsName>{dns}</dnsName>
          <keyName>my-key-pair</keyName>
          <amiLaunchIndex>0</amiLaunchIndex>
          <instanceType>g4dn.xlarge</instanceType>
          <launchTime>2026-11-20T18:40:12.000Z</launchTime>
          <placement><availabilityZone>{zone}</availabilityZone><groupName/><tenancy>default</tenancy></placement>
          <privateIpAddress>10.0.0.157</privateIpAddress>
          <ipAddress>203.0.113.25</ipAddress>
          {(lifecycle == "spot" ? $"<instanceLifecycle>spot</instanceLifecycle><spotInstanceRequestId>{spotRequest}</spotInstanceRequestId>" : "")}
          <tagSet><item><key>Name</key><value>{name}</value></item><item><key>kit:run</key><value>{name}</value></item></tagSet>
        </item>
        """;

    public static string DescribeInstances(params string[] instanceItems) => $"""
        <DescribeInstancesResponse {Ns}>
          {RequestId}
          <reservationSet>
            <item>
              <reservationId>r-1234567890abcdef0</reservationId>
              <ownerId>123456789012</ownerId>
              <groupSet/>
              <instancesSet>{string.Concat(instanceItems)}</instancesSet>
            </item>
          </reservationSet>
        </DescribeInstancesResponse>
        """;

    public static string RunInstances(string instanceItem) => $"""
        <RunInstancesResponse {Ns}>
          {RequestId}
          <reservationId>r-1234567890abcdef0</reservationId>
          <ownerId>123456789012</ownerId>
          <groupSet/>
          <instancesSet>{instanceItem}</instancesSet>
        </RunInstancesResponse>
        """;

    public static string ImageItem(string id, string name, string created, string state = "available", params string[] snapshots) => $"""
        <item>
          <imageId>{id}</imageId>
          <imageLocation>amazon/{name}</imageLocation>
          <imageState>{state}</imageState>
          <imageOwnerId>898082745236</imageOwnerId>
          <creationDate>{created}</creationDate>
          <isPublic>true</isPublic>
          <architecture>x86_64</architecture>
          <imageType>machine</imageType>
          <name>{name}</name>
          <description>{name}</description>
          <rootDeviceType>ebs</rootDeviceType>
          <rootDeviceName>/dev/sda1</rootDeviceName>
          <blockDeviceMapping>{string.Concat(snapshots.Select((s, i) => $"<item><deviceName>{(i == 0 ? "/dev/sda1" : "/dev/sdb")}</deviceName><ebs><snapshotId>{s}</snapshotId><volumeSize>200</volumeSize><deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType></ebs></item>"))}</blockDeviceMapping>
          <virtualizationType>hvm</virtualizationType>
          <hypervisor>xen</hypervisor>
          <enaSupport>true</enaSupport>
        </item>
        """;

    public static string DescribeImages(params string[] items) =>
        $"<DescribeImagesResponse {Ns}>{RequestId}<imagesSet>{string.Concat(items)}</imagesSet></DescribeImagesResponse>";

    public static string CreateImage(string imageId) =>
        $"<CreateImageResponse {Ns}>{RequestId}<imageId>{imageId}</imageId></CreateImageResponse>";

    public static string DescribeSnapshots(params (string Id, string Status, string Progress)[] snapshots) => $"""
        <DescribeSnapshotsResponse {Ns}>
          {RequestId}
          <snapshotSet>{string.Concat(snapshots.Select(s => $"""
            <item>
              <snapshotId>{s.Id}</snapshotId>
              <volumeId>vol-1234567890abcdef0</volumeId>
              <status>{s.Status}</status>
              <startTime>2026-11-21T14:02:28.000Z</startTime>
              <progress>{s.Progress}</progress>
              <ownerId>123456789012</ownerId>
              <volumeSize>200</volumeSize>
              <description>Created by CreateImage(i-1234567890abcdef0) for ami-1234</description>
              <encrypted>false</encrypted>
            </item>
            """))}</snapshotSet>
        </DescribeSnapshotsResponse>
        """;

    public static string StateChanges(string response, string id, string previous, string current) => $"""
        <{response} {Ns}>
          {RequestId}
          <instancesSet>
            <item>
              <instanceId>{id}</instanceId>
              <currentState><code>64</code><name>{current}</name></currentState>
              <previousState><code>16</code><name>{previous}</name></previousState>
            </item>
          </instancesSet>
        </{response}>
        """;

    public static string CreateTags() => $"<CreateTagsResponse {Ns}>{RequestId}<return>true</return></CreateTagsResponse>";

    public static string SpotRequestItem(string id, string state, string code, string? instanceId, string type = "persistent") => $"""
        <item>
          <spotInstanceRequestId>{id}</spotInstanceRequestId>
          <spotPrice>0.500000</spotPrice>
          <type>{type}</type>
          <state>{state}</state>
          <status><code>{code}</code><updateTime>2026-11-21T14:02:28.000Z</updateTime><message>Your spot request is pending evaluation.</message></status>
          <launchSpecification>
            <imageId>ami-0abcdef1234567890</imageId>
            <instanceType>g4dn.xlarge</instanceType>
            <placement><availabilityZone>us-west-2b</availabilityZone></placement>
          </launchSpecification>
          {(instanceId is null ? "" : $"<instanceId>{instanceId}</instanceId>")}
          <createTime>2026-11-21T14:00:00.000Z</createTime>
          <productDescription>Linux/UNIX</productDescription>
          <instanceInterruptionBehavior>stop</instanceInterruptionBehavior>
        </item>
        """;

    public static string DescribeSpotInstanceRequests(params string[] items) =>
        $"<DescribeSpotInstanceRequestsResponse {Ns}>{RequestId}<spotInstanceRequestSet>{string.Concat(items)}</spotInstanceRequestSet></DescribeSpotInstanceRequestsResponse>";

    public static string CancelSpotInstanceRequests(string id) => $"""
        <CancelSpotInstanceRequestsResponse {Ns}>
          {RequestId}
          <spotInstanceRequestSet><item><spotInstanceRequestId>{id}</spotInstanceRequestId><state>cancelled</state></item></spotInstanceRequestSet>
        </CancelSpotInstanceRequestsResponse>
        """;

    public static string SpotPriceHistory(string? nextToken, params (string Zone, string Price, string Time)[] prices) => $"""
        <DescribeSpotPriceHistoryResponse {Ns}>
          {RequestId}
          <spotPriceHistorySet>{string.Concat(prices.Select(p => $"""
            <item>
              <instanceType>g4dn.xlarge</instanceType>
              <productDescription>Linux/UNIX</productDescription>
              <spotPrice>{p.Price}</spotPrice>
              <timestamp>{p.Time}</timestamp>
              <availabilityZone>{p.Zone}</availabilityZone>
            </item>
            """))}</spotPriceHistorySet>
          <nextToken>{nextToken}</nextToken>
        </DescribeSpotPriceHistoryResponse>
        """;
}
