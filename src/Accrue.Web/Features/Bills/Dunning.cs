using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Infrastructure.Auditing;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Bills;

/// <summary>Configuration section "Dunning": when open postpaid bills are chased (days relative to the due date).</summary>
public sealed class DunningOptions
{
    public int[]? RemindDaysBefore { get; set; }
    public int[]? RemindDaysAfter { get; set; }
    public int[]? RetryDaysAfter { get; set; }
    public int SuspendAfterDays { get; set; } = 21;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromHours(1);

    // Arrays default to null rather than a value: the configuration binder appends to a non-empty
    // array instead of replacing it, so configured days would be added to the defaults.
    public DunningSchedule Schedule => new(RemindDaysBefore ?? [7, 1], RemindDaysAfter ?? [1, 7, 14], RetryDaysAfter ?? [3, 10], SuspendAfterDays);
}

/// <summary>
/// Chases open postpaid bills (seed 004): reminders before and after the due date, retries of the
/// card on file, suspension after the grace period. Each step is an <see cref="InvoiceEvent"/> with a
/// step name unique per bill, inserted before (or with) what the step does, so running again, or on
/// two instances at once, never repeats a step.
/// </summary>
public sealed class Dunning(AccrueDb db, BillCommands bills, Mailer mailer, IOptions<DunningOptions> options, TimeProvider clock, ILogger<Dunning> logger)
{
    /// <summary>Performs every step that is due and not yet done; returns how many steps were done.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var schedule = options.Value.Schedule;
        var open = await db.Invoices.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.Status == InvoiceStatus.Open && i.DueOn != null && i.Kind == InvoiceKind.Invoice)
            .OrderBy(i => i.DueOn).Select(i => i.Id).ToListAsync(ct);
        var done = 0;
        foreach (var id in open)
        {
            db.ChangeTracker.Clear();
            var invoice = await db.Invoices.IgnoreQueryFilters().AsNoTracking().Include(i => i.Events).SingleAsync(i => i.Id == id, ct);
            var organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == invoice.OrganizationId, ct);
            var today = organization.Today(clock);
            var steps = schedule.DueSteps(invoice.DueOn!.Value, today).Where(s => invoice.Events.All(e => e.Step != s.Step)).ToList();
            foreach (var step in CatchUp(steps))
            {
                if (step.Action == DunningAction.RemindAfter && steps.Any(s => s.Action == DunningAction.Suspend))
                {
                    // Days were missed and the grace period is over too: "pay within the grace period"
                    // would be wrong the moment it arrives. Record the reminder as skipped so it never goes later.
                    if (await SkipAsync(invoice.Id, step, "Not sent: the grace period had already ended when dunning ran again; the organization is suspended instead.", ct)) done++;
                    continue;
                }
                if (await PerformAsync(invoice.Id, step, schedule, ct)) done++;
                // A retry may have paid the bill: the remaining steps no longer apply.
                if (!await db.Invoices.IgnoreQueryFilters().AnyAsync(i => i.Id == id && i.Status == InvoiceStatus.Open, ct)) break;
            }
        }
        return done;
    }

    /// <summary>
    /// The order a catching-up run does the due steps in: the card retry first, so a retry that pays
    /// the bill spares the customer an "overdue" email about a bill that is already paid.
    /// </summary>
    private static IEnumerable<DunningStep> CatchUp(List<DunningStep> steps) =>
        steps.OrderBy(s => s.Action switch { DunningAction.RetryCard => 0, DunningAction.RemindBefore or DunningAction.RemindAfter => 1, _ => 2 });

    private async Task<bool> SkipAsync(Guid invoiceId, DunningStep step, string note, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var invoice = await db.Invoices.IgnoreQueryFilters().SingleAsync(i => i.Id == invoiceId, ct);
        BillCommands.Record(invoice, step.Step, clock.GetUtcNow(), note);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private async Task<bool> PerformAsync(Guid invoiceId, DunningStep step, DunningSchedule schedule, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var invoice = await db.Invoices.IgnoreQueryFilters().SingleAsync(i => i.Id == invoiceId, ct);
        if (invoice.Status != InvoiceStatus.Open) return false;
        var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == invoice.OrganizationId, ct);
        var now = clock.GetUtcNow();
        var dueOn = invoice.DueOn!.Value.ToString("yyyy-MM-dd");
        var saved = step.Action == DunningAction.RetryCard
            ? await db.CardsOnFile.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organization.Id, ct)
            : null;
        var retry = saved is not null && !saved.IsExpired(organization.Today(clock)) && invoice.PaymentId is null;

        string note;
        switch (step.Action)
        {
            case DunningAction.RemindBefore:
            case DunningAction.RemindAfter:
                var recipients = await db.AccountManagersAsync(organization.Id, ct);
                var template = step.Action == DunningAction.RemindBefore ? EmailTemplates.BillReminder : EmailTemplates.BillOverdue;
                foreach (var member in recipients)
                    await mailer.QueueAsync(template, member.Email, organization.Id, new Dictionary<string, string>
                    {
                        ["Name"] = member.Name, ["Invoice"] = invoice.Number, ["Organization"] = organization.Name,
                        ["Total"] = Money.Format(invoice.Total, invoice.Currency), ["DueOn"] = dueOn,
                        ["GraceDays"] = schedule.SuspendAfterDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    });
                var when = step.Action == DunningAction.RemindBefore ? $"due in {step.Days} day(s)" : $"{step.Days} day(s) overdue";
                note = recipients.Count == 0
                    ? $"Reminder ({when}) not sent: nobody may manage the account."
                    : $"Reminder ({when}) emailed to {string.Join(", ", recipients.Select(r => r.Email))}.";
                break;
            case DunningAction.RetryCard:
                note = saved is null ? "No card on file to retry."
                    : retry ? $"Charging the card on file ({saved}), {step.Days} day(s) after the due date."
                    : invoice.PaymentId is not null ? "A payment of this bill is already under way: not retried."
                    : $"The card on file ({saved}) has expired: not retried.";
                break;
            default:
                if (organization.Status == OrganizationStatus.Active)
                {
                    organization.Status = OrganizationStatus.Suspended;
                    organization.StatusReason = $"{BillCommands.UnpaidBillsReason}: {invoice.Number} overdue since {dueOn}.";
                    organization.StatusChangedAt = now;
                    db.Audit("Organization.Suspended", nameof(Organization), organization.Id, organization.Id,
                        new { Reason = organization.StatusReason, Invoice = invoice.Number });
                    note = $"Organization suspended: {invoice.Number} is {step.Days} day(s) overdue. Paying the overdue bills lifts the suspension.";
                }
                else note = $"The organization is already {organization.Status.ToString().ToLowerInvariant()}.";
                break;
        }

        // The step's row goes in with what it does, in one SaveChanges: if another run inserted it
        // first the unique index refuses it and nothing of this step is written.
        BillCommands.Record(invoice, step.Step, now, note);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            logger.LogInformation("Dunning step {Step} of {Invoice} was done by another run", step.Step, invoice.Number);
            db.ChangeTracker.Clear();
            return false;
        }
        logger.LogInformation("Dunning: {Invoice} {Step}", invoice.Number, step.Step);
        if (step.Action == DunningAction.RetryCard && retry)
        {
            var charged = await bills.ChargeAsync(organization.Id, [invoice], null, saved, ct);
            if (charged.Failed(out var failure)) logger.LogInformation("Dunning retry of {Invoice}: {Failure}", invoice.Number, failure.Message);
        }
        return true;
    }
}

/// <summary>Runs <see cref="Dunning"/> every "Dunning:PollInterval" (default one hour), on one app instance at a time.</summary>
public sealed class DunningJob(IServiceScopeFactory scopes, IOptions<DunningOptions> options, TimeProvider clock, ILogger<DunningJob> logger)
    : ScheduledJob(scopes, clock, logger)
{
    protected override string Name => "dunning";
    protected override TimeSpan Interval => options.Value.PollInterval;
    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) => services.GetRequiredService<Dunning>().RunAsync(ct);
}
