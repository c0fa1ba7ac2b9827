using System.Net.Sockets;
using System.Security.Authentication;
using Accrue.Web.Infrastructure.Net;

namespace Accrue.Web.Features.Webhooks;

/// <summary>
/// What the delivery log says about a failed attempt: a generic class, never the receiver's reason phrase,
/// body or a raw exception message (those would turn the log into a scanner of the network behind the
/// receiver). The status code is shown beside it. The server's own log keeps the exception.
/// </summary>
public static class WebhookErrors
{
    /// <summary>The receiver answered, but not with a 2xx (its status code is in the log).</summary>
    public const string HttpStatus = "http_status";
    public const string Timeout = "timeout";
    public const string ConnectionRefused = "connection_refused";
    public const string TlsError = "tls_error";
    public const string DnsError = "dns_error";
    /// <summary>The URL is, or resolves only to, a loopback, private, link-local … address.</summary>
    public const string BlockedAddress = "blocked_address";
    /// <summary>Any other failure to connect or to read the answer (reset, unreachable).</summary>
    public const string ConnectionError = "connection_error";
    public const string EndpointDisabled = "endpoint_disabled";

    public static readonly IReadOnlyList<string> All =
        [HttpStatus, Timeout, ConnectionRefused, TlsError, DnsError, BlockedAddress, ConnectionError, EndpointDisabled];

    /// <summary>The class of an exception thrown while sending (our time-out is classified by the caller).</summary>
    public static string Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case BlockedAddressException: return BlockedAddress;
                case AuthenticationException: return TlsError;
                case SocketException s when s.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData or SocketError.NoRecovery:
                    return DnsError;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }: return ConnectionRefused;
                case SocketException { SocketErrorCode: SocketError.TimedOut }: return Timeout;
            }
        }
        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => DnsError,
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => TlsError,
            _ => ConnectionError,
        };
    }

    /// <summary>What is shown for a stored error: a known class, or (rows written before the classes) a generic one.</summary>
    public static string? Public(string? stored, int? statusCode) =>
        stored is null ? null : All.Contains(stored, StringComparer.Ordinal) ? stored : statusCode is null ? ConnectionError : HttpStatus;

    /// <summary>The class in words, for the delivery log pages.</summary>
    public static string Describe(string code) => code switch
    {
        HttpStatus => "the endpoint answered with a non-2xx status",
        Timeout => "no answer in time",
        ConnectionRefused => "connection refused",
        TlsError => "TLS handshake or certificate failed",
        DnsError => "the host name could not be resolved",
        BlockedAddress => "the host is not a public internet address",
        EndpointDisabled => "the endpoint is disabled",
        _ => "could not connect or read the answer",
    };
}
