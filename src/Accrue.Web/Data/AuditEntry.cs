namespace Accrue.Web.Data;

/// <summary>One write: who did it, on whose behalf, to what, and the values before and after.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; set; }
    public Guid? ActorUserId { get; init; }
    public required string ActorName { get; init; }
    public Guid? OnBehalfOfUserId { get; init; }
    /// <summary>Set for writes made in a remote-support session: its staff member, member and reason.</summary>
    public Guid? RemoteSupportSessionId { get; init; }
    public Guid? OrganizationId { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public string? EntityId { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public string? Ip { get; init; }
}
