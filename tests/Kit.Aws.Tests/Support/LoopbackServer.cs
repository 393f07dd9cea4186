using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Kit.TestSupport;

namespace Kit.Aws.Tests.Support;

/// <summary>A request as the loopback server saw it.</summary>
public sealed record SeenRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>A reply the handler gives.</summary>
public sealed record Reply(int Status, string Body = "", string ContentType = "text/xml;charset=UTF-8");

/// <summary>An HTTP server on 127.0.0.1 and a free port; every request is recorded, then answered by the handler.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly Func<SeenRequest, Reply> handler;
    private readonly Task loop;

    public LoopbackServer(Func<SeenRequest, Reply> handler)
    {
        this.handler = handler;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var l = new HttpListener();
            l.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                l.Start();
                listener = l;
                BaseUri = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 10) { l.Close(); }
        }
        loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Handler failures (a failed check inside it): the test asserts this is empty.</summary>
    public ConcurrentQueue<Exception> HandlerErrors { get; } = new();

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await listener.GetContextAsync(); }
            catch (Exception) { return; }
            try
            {
                using var body = new MemoryStream();
                await ctx.Request.InputStream.CopyToAsync(body);
                var headers = ctx.Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!.ToLowerInvariant(), k => ctx.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                var seen = new SeenRequest(ctx.Request.HttpMethod, ctx.Request.RawUrl ?? "/", headers, body.ToArray());
                Requests.Enqueue(seen);
                Reply reply;
                try { reply = handler(seen); }
                catch (Exception e)
                {
                    HandlerErrors.Enqueue(e);
                    reply = new Reply(599, "<Response><Errors><Error><Code>TestServerCheckFailed</Code><Message>"
                        + System.Security.SecurityElement.Escape(e.Message) + "</Message></Error></Errors><RequestID>test</RequestID></Response>");
                }
                var bytes = Encoding.UTF8.GetBytes(reply.Body);
                ctx.Response.StatusCode = reply.Status;
                ctx.Response.ContentType = reply.ContentType;
                ctx.Response.ContentLength64 = bytes.Length;
                await ctx.Response.OutputStream.WriteAsync(bytes);
                ctx.Response.Close();
            }
            catch (Exception e) { HandlerErrors.Enqueue(e); try { ctx.Response.Abort(); } catch { } }
        }
    }

    public void Dispose()
    {
        // Close alone: on Linux, Stop() then Close() makes the managed listener look up its endpoint again,
        // re-binding the port it had just released, which fails if a parallel test took that port.
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
