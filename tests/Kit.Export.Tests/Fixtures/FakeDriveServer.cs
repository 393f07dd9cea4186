using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kit.TestSupport;

namespace Kit.Export.Tests.Fixtures;

/// <summary>
/// A loopback server speaking the documented Drive v3 protocol the exporter uses: files.list with q,
/// files.create (folders), resumable uploads (POST ?uploadType=resumable → Location; PUT chunks with
/// Content-Range → 308 + Range, final 200 with metadata), about.get storageQuota, alt=media, delete.
/// It counts every body byte it receives and can drop a connection in the middle of a chunk.
/// </summary>
public sealed partial class FakeDriveServer : IDisposable
{
    public sealed class Entry
    {
        public required string Id { get; init; }
        public required string Name { get; init; }
        public required string MimeType { get; init; }
        public required string Parent { get; init; }
        public byte[] Content { get; set; } = [];
        public bool IsFolder => MimeType == "application/vnd.google-apps.folder";
    }

    private sealed class Session
    {
        public required string Name { get; init; }
        public required string Parent { get; init; }
        public required long Total { get; init; }
        public MemoryStream Received { get; } = new();
        public Entry? Done { get; set; }
    }

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Entry> _files = new();
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly string _token;
    private readonly Task _loop;
    private int _nextId;
    private long _bytesReceived;

    public Uri BaseUri { get; }
    public long QuotaLimit { get; set; } = 15L << 30;
    public long QuotaUsageBesidesFiles { get; set; }

    /// <summary>Body bytes received by upload PUTs, including those of a dropped chunk.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);
    public int SessionsStarted => _sessionsStarted;
    private int _sessionsStarted;
    public int ChunksStored => _chunksStored;
    private int _chunksStored;

    /// <summary>One-shot fault: on the Nth chunk PUT (1-based, counting all sessions), read this many bytes and drop the connection.</summary>
    public (int Chunk, int AfterBytes)? DropConnection { get; set; }
    private int _chunkPuts;

    /// <summary>Called after a chunk is stored and before the response goes out: the file's name and bytes it holds so far.</summary>
    public Action<string, long>? AfterChunkStored { get; set; }

    public FakeDriveServer(string token)
    {
        _token = token;
        var port = FreePort.Next();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyCollection<Entry> Files => _files.Values.ToList();

    /// <summary>The file at a path under My Drive ("voices/x/weights/model.pth").</summary>
    public Entry? At(string path)
    {
        string parent = "root";
        Entry? e = null;
        foreach (var name in path.Split('/'))
        {
            e = _files.Values.FirstOrDefault(f => f.Parent == parent && f.Name == name);
            if (e is null) return null;
            parent = e.Id;
        }
        return e;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Handle(ctx));
        }
    }

    /// <summary>Every request, in order: method, path and query, Content-Range.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private void Handle(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        var res = ctx.Response;
        Requests.Enqueue($"{req.HttpMethod} {req.Url!.PathAndQuery} {req.Headers["Content-Range"]}");
        try
        {
            if (req.Url!.AbsolutePath == "/token" && req.HttpMethod == "POST")
            {
                Token(req, res);
                return;
            }
            if (req.Headers["Authorization"] != $"Bearer {_token}")
            {
                Reply(res, 401, new JsonObject { ["error"] = new JsonObject { ["code"] = 401, ["message"] = "Request had invalid authentication credentials." } });
                return;
            }
            var path = req.Url!.AbsolutePath;
            var query = req.QueryString;
            if (path == "/drive/v3/about" && req.HttpMethod == "GET")
            {
                long usage = QuotaUsageBesidesFiles + _files.Values.Sum(f => (long)f.Content.Length);
                Reply(res, 200, new JsonObject { ["storageQuota"] = new JsonObject { ["limit"] = QuotaLimit.ToString(), ["usage"] = usage.ToString() } });
            }
            else if (path == "/drive/v3/files" && req.HttpMethod == "GET") List(res, query["q"] ?? "");
            else if (path == "/drive/v3/files" && req.HttpMethod == "POST")
            {
                var body = ReadJson(req);
                var entry = Add(body["name"]!.GetValue<string>(), body["mimeType"]?.GetValue<string>() ?? "application/octet-stream",
                    body["parents"]?[0]?.GetValue<string>() ?? "root", []);
                Reply(res, 200, Describe(entry));
            }
            else if (path.StartsWith("/drive/v3/files/", StringComparison.Ordinal))
            {
                var id = path["/drive/v3/files/".Length..];
                if (!_files.TryGetValue(id, out var entry)) { Reply(res, 404, new JsonObject { ["error"] = new JsonObject { ["message"] = "File not found: " + id } }); return; }
                if (req.HttpMethod == "DELETE") { _files.TryRemove(id, out _); res.StatusCode = 204; res.Close(); }
                else if (query["alt"] == "media") { res.StatusCode = 200; res.ContentLength64 = entry.Content.Length; res.OutputStream.Write(entry.Content); res.Close(); }
                else Reply(res, 200, Describe(entry));
            }
            else if (path == "/upload/drive/v3/files" && req.HttpMethod == "POST" && query["uploadType"] == "resumable")
            {
                var body = ReadJson(req);
                var id = "upload-" + Interlocked.Increment(ref _nextId);
                _sessions[id] = new Session
                {
                    Name = body["name"]!.GetValue<string>(), Parent = body["parents"]?[0]?.GetValue<string>() ?? "root",
                    Total = long.Parse(req.Headers["X-Upload-Content-Length"]!),
                };
                Interlocked.Increment(ref _sessionsStarted);
                res.StatusCode = 200;
                res.Headers["Location"] = new Uri(BaseUri, $"upload/drive/v3/files?uploadType=resumable&upload_id={id}").AbsoluteUri;
                res.Close();
            }
            else if (path == "/upload/drive/v3/files" && req.HttpMethod == "PUT" && query["upload_id"] is { } uploadId)
                Chunk(ctx, uploadId);
            else Reply(res, 404, new JsonObject { ["error"] = new JsonObject { ["message"] = $"no route {req.HttpMethod} {path}" } });
        }
        catch (Exception e)
        {
            try { Reply(res, 500, new JsonObject { ["error"] = new JsonObject { ["message"] = e.Message } }); } catch { }
        }
    }

    private void Chunk(HttpListenerContext ctx, string uploadId)
    {
        var (req, res) = (ctx.Request, ctx.Response);
        if (!_sessions.TryGetValue(uploadId, out var s)) { Reply(res, 404, new JsonObject { ["error"] = new JsonObject { ["message"] = "no such upload" } }); return; }
        var range = ContentRange().Match(req.Headers["Content-Range"] ?? "");
        if (!range.Success) { Reply(res, 400, new JsonObject { ["error"] = new JsonObject { ["message"] = "bad Content-Range" } }); return; }
        if (range.Groups["first"].Success)
        {
            long first = long.Parse(range.Groups["first"].Value);
            int n = Interlocked.Increment(ref _chunkPuts);
            if (DropConnection is { } drop && drop.Chunk == n)
            {
                DropConnection = null;
                var partial = new byte[drop.AfterBytes];
                int got = 0, r;
                while (got < partial.Length && (r = req.InputStream.Read(partial, got, partial.Length - got)) > 0) got += r;
                Interlocked.Add(ref _bytesReceived, got);
                DropSocket(ctx); // the partial chunk is discarded, as Drive does with bytes it did not acknowledge
                return;
            }
            var body = new MemoryStream();
            req.InputStream.CopyTo(body);
            Interlocked.Add(ref _bytesReceived, body.Length);
            lock (s)
            {
                if (first == s.Received.Length && s.Done is null)
                {
                    s.Received.Write(body.ToArray());
                    if (s.Received.Length == s.Total)
                        s.Done = Add(s.Name, "application/octet-stream", s.Parent, s.Received.ToArray());
                }
            }
            Interlocked.Increment(ref _chunksStored);
            AfterChunkStored?.Invoke(s.Name, s.Received.Length);
        }
        lock (s)
        {
            if (s.Done is { } done) { Reply(res, 200, Describe(done)); return; }
            res.StatusCode = 308;
            if (s.Received.Length > 0) res.Headers["Range"] = $"bytes=0-{s.Received.Length - 1}";
            res.ContentLength64 = 0;
            res.Close();
        }
    }

    /// <summary>
    /// Resets the TCP connection under a request. HttpListener's own Abort() can still answer "200 OK" when the
    /// body was not read to the end, which is not what a dropped connection looks like, so the socket is reached
    /// through the managed listener's private fields (test-only, and the test fails loudly if they move).
    /// </summary>
    private static void DropSocket(HttpListenerContext ctx)
    {
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        var connection = typeof(HttpListenerContext).GetField("_connection", Private)?.GetValue(ctx)
                         ?? throw new InvalidOperationException("HttpListenerContext._connection not found: update FakeDriveServer.DropSocket");
        var socket = connection.GetType().GetField("_socket", Private)?.GetValue(connection) as System.Net.Sockets.Socket
                     ?? throw new InvalidOperationException("HttpConnection._socket not found: update FakeDriveServer.DropSocket");
        socket.LingerState = new System.Net.Sockets.LingerOption(true, 0); // RST, not a graceful FIN
        socket.Close();
    }

    /// <summary>A service account's public key: when set, /token grants the access token for a JWT it signed.</summary>
    public RSA? ServiceAccountKey { get; set; }
    public string? GrantedScope { get; private set; }

    /// <summary>OAuth 2.0 JWT-bearer grant (RFC 7523), as Google's token endpoint does for service accounts.</summary>
    private void Token(HttpListenerRequest req, HttpListenerResponse res)
    {
        using var reader = new StreamReader(req.InputStream, Encoding.UTF8);
        var form = System.Web.HttpUtility.ParseQueryString(reader.ReadToEnd());
        var jwt = (form["assertion"] ?? "").Split('.');
        bool valid = form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" && jwt.Length == 3 && ServiceAccountKey is not null &&
                     ServiceAccountKey.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), Base64Url(jwt[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!valid) { Reply(res, 400, new JsonObject { ["error"] = "invalid_grant" }); return; }
        GrantedScope = JsonNode.Parse(Base64Url(jwt[1]))?["scope"]?.GetValue<string>();
        Reply(res, 200, new JsonObject { ["access_token"] = _token, ["expires_in"] = 3600, ["token_type"] = "Bearer" });
    }

    private static byte[] Base64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    /// <summary>Flips a byte of a stored file, as a broken disk or a bad copy would.</summary>
    public void Corrupt(string path)
    {
        var e = At(path) ?? throw new InvalidOperationException($"no file {path}");
        e.Content = (byte[])e.Content.Clone();
        e.Content[e.Content.Length / 2] ^= 0xFF;
    }

    private void List(HttpListenerResponse res, string q)
    {
        IEnumerable<Entry> result = _files.Values;
        foreach (var clause in q.Split(" and ", StringSplitOptions.TrimEntries))
        {
            Match m;
            if ((m = InParents().Match(clause)).Success) { var p = Unescape(m.Groups[1].Value); result = result.Where(f => f.Parent == p); }
            else if ((m = NameIs().Match(clause)).Success) { var n = Unescape(m.Groups[1].Value); result = result.Where(f => f.Name == n); }
            else if ((m = MimeIs().Match(clause)).Success) { var t = Unescape(m.Groups[1].Value); result = result.Where(f => f.MimeType == t); }
            else if (clause == "trashed = false") { }
            else { Reply(res, 400, new JsonObject { ["error"] = new JsonObject { ["message"] = $"Invalid Value: {clause}" } }); return; }
        }
        Reply(res, 200, new JsonObject { ["files"] = new JsonArray(result.OrderBy(f => f.Id).Select(f => (JsonNode)Describe(f)).ToArray()) });
    }

    private Entry Add(string name, string mime, string parent, byte[] content)
    {
        var e = new Entry { Id = "id" + Interlocked.Increment(ref _nextId), Name = name, MimeType = mime, Parent = parent, Content = content };
        _files[e.Id] = e;
        return e;
    }

    private static JsonObject Describe(Entry e)
    {
        var o = new JsonObject { ["id"] = e.Id, ["name"] = e.Name, ["mimeType"] = e.MimeType };
        if (!e.IsFolder)
        {
            o["size"] = e.Content.Length.ToString();
            o["md5Checksum"] = Convert.ToHexStringLower(MD5.HashData(e.Content)); // from the stored bytes, as Drive does
        }
        return o;
    }

    private static JsonNode ReadJson(HttpListenerRequest req)
    {
        using var reader = new StreamReader(req.InputStream, Encoding.UTF8);
        return JsonNode.Parse(reader.ReadToEnd())!;
    }

    private static void Reply(HttpListenerResponse res, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        res.StatusCode = status;
        res.ContentType = "application/json; charset=UTF-8";
        res.ContentLength64 = bytes.Length;
        res.OutputStream.Write(bytes);
        res.Close();
    }

    private static string Unescape(string s) => s.Replace("\\'", "'").Replace("\\\\", "\\");

    [GeneratedRegex(@"^bytes (?:(?<first>\d+)-(?<last>\d+)|\*)/(?<total>\d+|\*)$")]
    private static partial Regex ContentRange();
    [GeneratedRegex(@"^'((?:[^'\\]|\\.)*)' in parents$")]
    private static partial Regex InParents();
    [GeneratedRegex(@"^name = '((?:[^'\\]|\\.)*)'$")]
    private static partial Regex NameIs();
    [GeneratedRegex(@"^mimeType = '((?:[^'\\]|\\.)*)'$")]
    private static partial Regex MimeIs();

    public void Dispose()
    {
        // Close alone: on Linux, Stop() then Close() makes the managed listener look up its endpoint again,
        // re-binding the port it had just released, which fails if a parallel test took that port.
        _listener.Close();
        try { _loop.Wait(2000); } catch (AggregateException) { }
    }
}
