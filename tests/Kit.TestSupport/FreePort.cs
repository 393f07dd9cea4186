using System.Net;
using System.Net.Sockets;

namespace Kit.TestSupport;

/// <summary>A loopback port nothing listens on at the moment of asking (the OS picks it), for a test server.</summary>
public static class FreePort
{
    public static int Next()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
