namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// The first answer to a money-moving API request sent with an <c>Idempotency-Key</c> (DESIGN §3):
/// keyed by who sent it and the key, with a hash of the request so a different body under the same
/// key is refused. A row without a status code is a request still running (<see cref="StartedAt"/> set)
/// or one that failed after something committed (<see cref="StartedAt"/> null), which the next retry resumes.
/// </summary>
public sealed class IdempotencyRecord : Auditing.INotAudited
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
    /// <summary>When the attempt now running started; null once an attempt failed with its work partly committed.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>
    /// Set by every SaveChanges of the request, in the same transaction as its writes: true once any of
    /// the request's work committed, so a failed request is released only when nothing of it is in the database.
    /// </summary>
    public bool EffectCommitted { get; set; }
}
