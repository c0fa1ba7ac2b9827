using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Accrue.Web.Infrastructure.Net;

/// <summary>What kind of network an address belongs to; only <see cref="Public"/> is reachable by outbound calls by default.</summary>
public enum AddressKind { Public, Loopback, Private, LinkLocal, UniqueLocal, Unspecified, Multicast, SharedCgnat, Reserved }

/// <summary>
/// Classifies IP addresses (loopback, private, link-local, unique-local, unspecified, multicast, CGNAT,
/// reserved) and reads IP literals the way URL parsers and resolvers do, so that <c>2130706433</c>,
/// <c>0177.0.0.1</c>, <c>0x7f.1</c> and <c>[::ffff:127.0.0.1]</c> are all seen as 127.0.0.1.
/// </summary>
public static class NetworkAddresses
{
    public static bool IsPublic(IPAddress address) => Classify(address) == AddressKind.Public;

    public static AddressKind Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return Classify(address.MapToIPv4());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())),
            AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
            _ => AddressKind.Reserved,
        };
    }

    private static AddressKind ClassifyV4(uint a)
    {
        static bool In(uint a, uint network, int bits) => bits == 0 || (a >> (32 - bits)) == (network >> (32 - bits));
        if (In(a, 0x00000000, 8)) return AddressKind.Unspecified;        // 0.0.0.0/8 "this network" (0.0.0.0 reaches the host itself)
        if (In(a, 0x7F000000, 8)) return AddressKind.Loopback;           // 127.0.0.0/8
        if (In(a, 0x0A000000, 8) || In(a, 0xAC100000, 12) || In(a, 0xC0A80000, 16)) return AddressKind.Private; // RFC 1918
        if (In(a, 0x64400000, 10)) return AddressKind.SharedCgnat;       // 100.64.0.0/10, RFC 6598
        if (In(a, 0xA9FE0000, 16)) return AddressKind.LinkLocal;         // 169.254.0.0/16 (cloud metadata lives here)
        if (In(a, 0xE0000000, 4)) return AddressKind.Multicast;          // 224.0.0.0/4
        if (In(a, 0xC0000000, 24) || In(a, 0xC0000200, 24) || In(a, 0xC0586300, 24) || In(a, 0xC6120000, 15)
            || In(a, 0xC6336400, 24) || In(a, 0xCB007100, 24) || In(a, 0xF0000000, 4))
            return AddressKind.Reserved;                                 // protocol assignments, documentation, 6to4 relay, benchmarking, 240/4 and broadcast
        return AddressKind.Public;
    }

    private static AddressKind ClassifyV6(byte[] b)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(b);
        var low = BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(8));
        if (high == 0 && low == 0) return AddressKind.Unspecified;                  // ::
        if (high == 0 && low == 1) return AddressKind.Loopback;                     // ::1
        if (high == 0) return AddressKind.Reserved;                                 // ::/96 IPv4-compatible (deprecated) and the rest of ::/64
        if (high == 0x0064FF9B00000000 && (low >> 32) == 0)                         // 64:ff9b::/96 NAT64: the IPv4 address inside decides
            return ClassifyV4((uint)low);
        if ((high >> 16) == 0x0064FF9B0001) return AddressKind.Private;             // 64:ff9b:1::/48 local-use NAT64
        if (high == 0x0100000000000000) return AddressKind.Reserved;                // 100::/64 discard-only
        if ((high >> 32) == 0x20010DB8) return AddressKind.Reserved;                // 2001:db8::/32 documentation
        if ((high >> 32) == 0x20010000) return AddressKind.Reserved;                // 2001::/32 Teredo (the IPv4 inside can't be checked)
        if ((high >> 48) == 0x2002) return ClassifyV4((uint)(high >> 16));         // 2002::/16 6to4: the IPv4 inside decides
        if ((b[0] & 0xFE) == 0xFC) return AddressKind.UniqueLocal;                  // fc00::/7
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return AddressKind.LinkLocal;    // fe80::/10
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return AddressKind.Private;      // fec0::/10 site-local (deprecated)
        if (b[0] == 0xFF) return AddressKind.Multicast;                             // ff00::/8
        if ((b[0] & 0xE0) != 0x20) return AddressKind.Reserved;                     // only 2000::/3 is global unicast
        return AddressKind.Public;
    }

    /// <summary>
    /// Reads <paramref name="host"/> (a URL's host: brackets and a trailing dot allowed) as an IP literal:
    /// IPv6, or IPv4 in any form <c>inet_aton</c> accepts (1 to 4 parts, each decimal, octal with a leading
    /// 0 or hex with 0x). False for a host name.
    /// </summary>
    public static bool TryParseLiteral(string host, out IPAddress address)
    {
        address = IPAddress.None;
        var h = Normalize(host);
        if (h.Length == 0) return false;
        if (h.Contains(':'))
        {
            if (!IPAddress.TryParse(h, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = v6;
            return true;
        }
        var parts = h.Split('.');
        if (parts.Length > 4) return false;
        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!TryParsePart(parts[i], out values[i])) return false;
        // The last part fills the remaining bytes; each earlier part is one byte.
        for (var i = 0; i < parts.Length - 1; i++)
            if (values[i] > 0xFF) return false;
        var lastBits = 8 * (5 - parts.Length);
        if (values[^1] >= 1UL << lastBits) return false;
        ulong value = values[^1];
        for (var i = 0; i < parts.Length - 1; i++) value |= values[i] << (24 - 8 * i);
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>
    /// A host whose last label is a number but which is not a valid IPv4 literal (<c>999.1.1.1</c>,
    /// <c>1.2.3.4.5</c>): URL parsers refuse it, resolvers read it in different ways; refuse it too.
    /// </summary>
    public static bool EndsInNumber(string host)
    {
        var h = Normalize(host);
        var last = h[(h.LastIndexOf('.') + 1)..];
        return last.Length > 0 && (last.All(char.IsAsciiDigit) || (last.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && last[2..].All(char.IsAsciiHexDigit)));
    }

    /// <summary><c>localhost</c> and its subdomains (RFC 6761), which resolvers answer with loopback addresses.</summary>
    public static bool IsLocalhostName(string host)
    {
        var h = Normalize(host);
        return h.Equals("localhost", StringComparison.OrdinalIgnoreCase) || h.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    public static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Loopback => "a loopback address",
        AddressKind.Private => "a private network address",
        AddressKind.LinkLocal => "a link-local address",
        AddressKind.UniqueLocal => "a unique-local address",
        AddressKind.Unspecified => "an unspecified address",
        AddressKind.Multicast => "a multicast address",
        AddressKind.SharedCgnat => "a carrier-grade NAT address",
        AddressKind.Reserved => "a reserved address",
        _ => "a public address",
    };

    private static string Normalize(string host)
    {
        var h = host.Trim();
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        return h.EndsWith('.') ? h[..^1] : h;
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0) return false;
        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = part[2..];
            if (hex.Length == 0) return true;
            return hex.Length <= 8 && hex.All(char.IsAsciiHexDigit) && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        if (!part.All(char.IsAsciiDigit)) return false;
        if (part.Length > 1 && part[0] == '0')
        {
            if (part.Length > 12 || part.Any(c => c > '7')) return false;
            foreach (var c in part[1..]) value = value * 8 + (ulong)(c - '0');
            return true;
        }
        return part.Length <= 10 && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
