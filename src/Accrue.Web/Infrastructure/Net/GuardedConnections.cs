using System.Net;
using System.Net.Sockets;

namespace Accrue.Web.Infrastructure.Net;

/// <summary>Resolves host names for outbound calls; tests replace it to point names at a local receiver.</summary>
public class HostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A host that is, or resolves only to, addresses outbound calls may not reach (loopback, private …).</summary>
public sealed class BlockedAddressException(string host, IReadOnlyList<IPAddress> addresses)
    : Exception($"{host} is not a public address ({string.Join(", ", addresses)}); outbound calls may not reach it.")
{
    public string Host { get; } = host;
    public IReadOnlyList<IPAddress> Addresses { get; } = addresses;
}

/// <summary>
/// HTTP connections that never reach loopback, private, link-local … addresses (unless allowed): each new
/// connection resolves the host itself, checks every address, and connects to the exact address it checked,
/// so a DNS answer that changes between the check and the connection (rebinding) can't redirect it.
/// </summary>
public static class GuardedConnections
{
    /// <summary>No proxy (it would be the proxy's address that is checked), no redirects, no cookies.</summary>
    public static SocketsHttpHandler CreateHandler(HostResolver resolver, Func<bool> allowPrivateTargets) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, resolver, allowPrivateTargets(), ct),
    };

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, HostResolver resolver, bool allowPrivateTargets, CancellationToken cancellationToken)
    {
        var addresses = NetworkAddresses.TryParseLiteral(endPoint.Host, out var literal)
            ? [literal]
            : await resolver.ResolveAsync(endPoint.Host, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var allowed = allowPrivateTargets ? addresses : addresses.Where(NetworkAddresses.IsPublic).ToArray();
        if (allowed.Length == 0) throw new BlockedAddressException(endPoint.Host, addresses);

        SocketException? last = null;
        foreach (var checkedAddress in allowed)
        {
            var address = checkedAddress.IsIPv4MappedToIPv6 ? checkedAddress.MapToIPv4() : checkedAddress;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
