using Accrue.Domain.Common;

namespace Accrue.Domain.Support;

/// <summary>
/// Staff viewing a customer's portal as one of its members ("log in as", seed 001), for a stated
/// reason and at most <see cref="MaxLength"/>. Every write in the session is audited with both
/// identities and this session's id, and the organization's Owner sees the sessions.
/// </summary>
public sealed class RemoteSupportSession : Entity, IOrganizationOwned
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromMinutes(30);

    public Guid OrganizationId { get; init; }
    public Guid MemberId { get; init; }
    public Guid MemberUserId { get; init; }
    public required string MemberName { get; init; }
    public Guid StaffUserId { get; init; }
    public required string StaffName { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? EndedAt { get; private set; }
    /// <summary>Why it ended: by staff, by time limit, or because the Owner turned remote support off.</summary>
    public string? EndReason { get; private set; }

    public static Result<RemoteSupportSession> Start(
        Guid organizationId, Guid memberId, Guid memberUserId, string memberName, Guid staffUserId, string staffName, string? reason, DateTimeOffset now)
    {
        var errors = new FieldErrors().Require("Reason", reason, "Reason", 500);
        if (errors.Any) return errors.ToFailure();
        return new RemoteSupportSession
        {
            OrganizationId = organizationId,
            MemberId = memberId,
            MemberUserId = memberUserId,
            MemberName = memberName,
            StaffUserId = staffUserId,
            StaffName = staffName,
            Reason = reason!.Trim(),
            StartedAt = now,
            ExpiresAt = now + MaxLength,
        };
    }

    public bool IsActiveAt(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;

    /// <summary>Ends the session once; later calls change nothing.</summary>
    public void End(DateTimeOffset now, string why)
    {
        if (EndedAt is not null) return;
        EndedAt = now < ExpiresAt ? now : ExpiresAt;
        EndReason = why;
    }
}
