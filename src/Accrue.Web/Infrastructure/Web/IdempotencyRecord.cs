namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// The first answer to a money-moving API request sent with an <c>Idempotency-Key</c> (DESIGN §3):
/// keyed by who sent it and the key, with a hash of the request so a different body under the same
/// key is refused. A row without a status code is a request still running.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The caller: "key:{api key id}" or "user:{user id}".</summary>
    public required string Scope { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of method, path and body.</summary>
    public required string RequestHash { get; set; }
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public byte[]? Body { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
