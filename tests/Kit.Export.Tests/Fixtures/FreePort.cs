using System.Net;
using System.Net.Sockets;

namespace Kit.Export.Tests.Fixtures;

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
