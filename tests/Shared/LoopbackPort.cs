using System.Net;
using System.Net.Sockets;

namespace Assl.Tests;

/// <summary>Ports for servers the tests start on loopback.</summary>
public static class LoopbackPort
{
    /// <summary>A port free right now (the OS picks it; the listener is closed before returning).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
