using Accrue.Domain.Common;

namespace Accrue.Web.Data;

/// <summary>
/// A bearer key for the API. Scope: one organization, one partner's organizations, or (neither set)
/// the whole operator. Only a SHA-256 hash of the secret is stored; the key is shown once.
/// </summary>
public sealed class ApiKey : Entity
{
    public Guid? OrganizationId { get; set; }
    public Guid? PartnerId { get; set; }
    public required string Name { get; set; }
    /// <summary>The public part of the key, used to find the row: <c>acr_{Prefix}_{secret}</c>.</summary>
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public bool IsActive => RevokedAt is null;
}
