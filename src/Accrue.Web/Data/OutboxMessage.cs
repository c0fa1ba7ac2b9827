namespace Accrue.Web.Data;

/// <summary>
/// An email waiting to be sent, written in the same transaction as the change that caused it, so a
/// rolled-back change never sends mail and a committed one always does.
/// </summary>
public sealed class OutboxMessage : Infrastructure.Auditing.INotAudited
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid? OrganizationId { get; init; }
    public required string Template { get; init; }
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required string HtmlBody { get; init; }
    public required string TextBody { get; init; }
    /// <summary>
    /// The text body as the mail log and the API show it: the template's secrets (single-use links, voucher
    /// codes) replaced by a note. Null for messages queued before it existed, or written by hand; those are
    /// shown with every link that carries a token hidden.
    /// </summary>
    public string? LogTextBody { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>Where the message went when no SMTP server is configured.</summary>
    public string? FilePath { get; set; }
}

public enum OutboxStatus { Pending, Sent, WrittenToFile, Failed }
