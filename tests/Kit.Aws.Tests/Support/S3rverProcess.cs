using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Kit.Export.S3;
using Kit.TestSupport;

namespace Kit.Aws.Tests.Support;

/// <summary>npm's s3rver on 127.0.0.1 and a free port with one bucket (credentials S3RVER/S3RVER, path-style).</summary>
public sealed class S3rverProcess : IDisposable
{
    public const string Bucket = "kit-checkpoints";

    private readonly Process process;
    private readonly TempDir data = new("kit-aws-s3rver");
    private readonly ConcurrentQueue<string> log = new();

    public S3rverProcess()
    {
        var exe = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "s3rver");
        if (!File.Exists(exe))
            throw new InvalidOperationException($"{exe} is missing: run `npm ci` at the repository root (setup.sh does) to install s3rver");
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-d", data.Path, "-a", "127.0.0.1", "-p", Port.ToString(), "--configure-bucket", Bucket })
            psi.ArgumentList.Add(a);
        process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"s3rver exited with {process.ExitCode}:\n{string.Join('\n', log)}");
            try { using var c = new TcpClient(); c.Connect(IPAddress.Loopback, Port); break; }
            catch (SocketException) when (DateTime.UtcNow < deadline) { Thread.Sleep(100); }
        }
    }

    public int Port { get; }

    public string Address(string prefix) => $"s3://{Bucket}/{prefix}";

    public S3Options Options => new()
    {
        EndpointUrl = $"http://127.0.0.1:{Port}", PathStyle = true, Region = "us-east-1",
        Credentials = new BasicAWSCredentials("S3RVER", "S3RVER"),
        // Small parts so a modest synthetic checkpoint exercises the multipart path too.
        PartSize = 5L << 20, MultipartThreshold = 6L << 20,
    };

    public void Dispose()
    {
        try { if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(5000); } }
        catch (InvalidOperationException) { }
        process.Dispose();
        data.Dispose();
    }
}
