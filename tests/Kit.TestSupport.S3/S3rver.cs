using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Amazon.Runtime;
using Kit.Export.S3;

namespace Kit.TestSupport;

/// <summary>
/// npm's s3rver on 127.0.0.1 and a free port with one bucket, credentials S3RVER/S3RVER, path-style: the S3 of
/// the export and AWS tests (an xunit class fixture). Its log lines are kept so tests can count what the server
/// itself stored (e.g. "Stored part 3 of ...").
/// </summary>
public sealed class S3rver : IDisposable
{
    public const string Bucket = "kit-tests";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string Region = "us-east-1";

    private readonly Process _process;
    private readonly TempDir _data = new("kit-s3rver");
    private readonly ConcurrentQueue<string> _log = new();

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    public string DataDir => _data.Path;
    public IReadOnlyCollection<string> Log => _log;

    public S3rver()
    {
        var exe = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "s3rver");
        if (!File.Exists(exe))
            throw new InvalidOperationException($"{exe} is missing: run `npm ci` at the repository root (setup.sh does) to install s3rver for the S3 tests");
        Port = FreePort.Next();
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-d", _data.Path, "-a", "127.0.0.1", "-p", Port.ToString(), "--configure-bucket", Bucket })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + HangGuard.Limit; // waits for the port to answer; the bound only ends a hang (node starts slowly on a loaded machine)
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"s3rver exited with {_process.ExitCode}:\n{string.Join('\n', _log)}");
            try
            {
                using var c = new TcpClient();
                c.Connect("127.0.0.1", Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline) { Thread.Sleep(100); }
        }
    }

    /// <summary>An s3:// address under the bucket.</summary>
    public string Address(string prefix) => $"s3://{Bucket}/{prefix}";

    /// <summary>The kit's S3 settings for this server.</summary>
    public S3Options Options => new S3Options
    {
        Region = Region,
        Credentials = new BasicAWSCredentials(AccessKey, SecretKey),
        // Small parts so a modest synthetic checkpoint exercises the multipart path too.
        PartSize = 5L << 20, MultipartThreshold = 6L << 20,
    }.AtEndpoint(Endpoint);

    /// <summary>
    /// The environment that sends a `kit` child process's S3 requests here, as a user's AWS settings would: no
    /// profile, session or region of the machine running the tests leaks in (null removes a variable).
    /// </summary>
    public IReadOnlyDictionary<string, string?> KitEnvironment(string region = Region) => new Dictionary<string, string?>
    {
        ["AWS_PROFILE"] = null, ["AWS_SESSION_TOKEN"] = null, ["AWS_ENDPOINT_URL"] = null, ["AWS_DEFAULT_REGION"] = null,
        ["AWS_ENDPOINT_URL_S3"] = Endpoint,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = region,
    };

    /// <summary>How many parts the server stored since start (from its own log).</summary>
    public int StoredParts => _log.Count(l => l.Contains("Stored part", StringComparison.Ordinal));

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _data.Dispose();
    }
}
