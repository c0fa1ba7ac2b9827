namespace Accrue.Web.Data;

/// <summary>One billing run: the day it billed up to, who started it, and what it did.</summary>
public sealed class BillingRun
{
    /// <summary>The shadow column on subscriptions naming the run that last failed to renew one (past due).</summary>
    public const string UnpaidRunColumn = "UnpaidRunId";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateOnly AsOf { get; set; }
    /// <summary>"schedule", "cli" or "console".</summary>
    public required string Trigger { get; set; }
    public required string Host { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>
    /// Written with every batch the run commits (with its counts, in the batch's transaction): a run whose
    /// heartbeat is older than <see cref="BillingOptions.RunLease"/> is taken for dead.
    /// </summary>
    public DateTimeOffset HeartbeatAt { get; set; }
    /// <summary>When the run was found stopped (killed, crashed, cancelled) before it finished; its counts are what it committed.</summary>
    public DateTimeOffset? AbandonedAt { get; set; }
    /// <summary>Renewals paid or billed, trial conversions included.</summary>
    public int Renewed { get; set; }
    public int Invoiced { get; set; }
    /// <summary>Renewals that could not be paid: the subscription is past due.</summary>
    public int Failed { get; set; }
    /// <summary>Subscriptions that ended: not renewing, cancelled at the period end, trials not converted.</summary>
    public int Expired { get; set; }
    /// <summary>Due subscriptions left alone: paused, suspended, or of a suspended or closed organization.</summary>
    public int Skipped { get; set; }

    public BillingRunStatus Status =>
        FinishedAt is not null ? BillingRunStatus.Finished : AbandonedAt is not null ? BillingRunStatus.Abandoned : BillingRunStatus.Running;
}

public enum BillingRunStatus { Running, Finished, Abandoned }

/// <summary>
/// The "Renewals … could not be paid" email sent for an organization and a run date: its primary key makes it one
/// per (organization, day) whatever the number of runs or batches. Inserted with the emails, in the transaction
/// of the batch that found the renewals unpaid.
/// </summary>
public sealed class RenewalFailureNotice : Domain.Common.IOrganizationOwned
{
    public Guid OrganizationId { get; set; }
    public DateOnly RunDate { get; set; }
    public Guid RunId { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

/// <summary>A renewal reminder sent: one per subscription, term and threshold, so it is never sent twice.</summary>
public sealed class RenewalReminder : Domain.Common.IOrganizationOwned
{
    public Guid SubscriptionId { get; set; }
    public DateOnly TermEnd { get; set; }
    public int DaysBefore { get; set; }
    public Guid OrganizationId { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
