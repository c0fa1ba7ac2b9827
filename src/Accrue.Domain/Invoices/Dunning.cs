namespace Accrue.Domain.Invoices;

/// <summary>The steps on a bill's timeline (<see cref="InvoiceEvent.Step"/>), each done at most once per bill.</summary>
public static class BillSteps
{
    public const string Issued = "issued";
    public const string Paid = "paid";
    public const string Suspended = "suspended";

    public static string ReminderBefore(int days) => $"reminder-before-{days}";
    public static string ReminderAfter(int days) => $"reminder-after-{days}";
    public static string Retry(int days) => $"retry-{days}";
    public static string PaymentDeclined(int attempt) => $"payment-declined-{attempt}";
}

public enum DunningAction { RemindBefore, RemindAfter, RetryCard, Suspend }

/// <summary>A dunning step due for a bill: what to do and the step name that makes it happen once.</summary>
public sealed record DunningStep(DunningAction Action, int Days, string Step);

/// <summary>
/// When an open bill is chased (seed 004, postpaid): reminders some days before and after the due
/// date, retries of the card on file, and suspension after the grace period. Days are counted in the
/// organization's calendar.
/// </summary>
public sealed record DunningSchedule(IReadOnlyList<int> RemindDaysBefore, IReadOnlyList<int> RemindDaysAfter, IReadOnlyList<int> RetryDaysAfter, int SuspendAfterDays)
{
    /// <summary>
    /// The steps whose day has come for a bill due on <paramref name="due"/>. Reminders before the
    /// due date stop once it has passed (a late "due soon" would be wrong).
    /// </summary>
    public IReadOnlyList<DunningStep> DueSteps(DateOnly due, DateOnly today)
    {
        var overdueDays = today.DayNumber - due.DayNumber;
        var steps = new List<DunningStep>();
        if (overdueDays < 0)
        {
            // Only the nearest reminder: a bill issued 3 days before its due date gets the 1-day one, not both.
            var before = RemindDaysBefore.Where(d => d > 0 && -overdueDays <= d).DefaultIfEmpty(0).Min();
            if (before > 0) steps.Add(new DunningStep(DunningAction.RemindBefore, before, BillSteps.ReminderBefore(before)));
            return steps;
        }
        // Likewise after it: the latest reminder and retry whose day has come, so a run after a pause
        // sends one email and charges once rather than catching up on every missed step.
        var after = RemindDaysAfter.Where(d => d > 0 && overdueDays >= d).DefaultIfEmpty(0).Max();
        if (after > 0) steps.Add(new DunningStep(DunningAction.RemindAfter, after, BillSteps.ReminderAfter(after)));
        var retry = RetryDaysAfter.Where(d => d > 0 && overdueDays >= d).DefaultIfEmpty(0).Max();
        if (retry > 0) steps.Add(new DunningStep(DunningAction.RetryCard, retry, BillSteps.Retry(retry)));
        if (SuspendAfterDays >= 0 && overdueDays >= SuspendAfterDays)
            steps.Add(new DunningStep(DunningAction.Suspend, SuspendAfterDays, BillSteps.Suspended));
        return steps;
    }
}
