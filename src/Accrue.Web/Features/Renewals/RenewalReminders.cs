using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Jobs;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Renewals;

/// <summary>Configuration section "Reminders": how many days before a term ends its renewal reminders go (seed 000: 30, 15 and 7).</summary>
public sealed class ReminderOptions
{
    // Null rather than [30, 15, 7]: the configuration binder appends to a non-empty array instead of
    // replacing it, so configured days would be added to the defaults (as in DunningOptions).
    public int[]? DaysBefore { get; set; }
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The thresholds, largest first, positive and distinct.</summary>
    public IReadOnlyList<int> Thresholds => (DaysBefore is { Length: > 0 } days ? days : [30, 15, 7])
        .Where(d => d > 0).Distinct().OrderDescending().ToList();

    /// <summary>The portal banner's horizon: the largest threshold.</summary>
    public int Horizon => Thresholds.DefaultIfEmpty(30).Max();

    /// <summary>"30, 15 and 7".</summary>
    public string Describe()
    {
        var days = Thresholds.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList();
        return days.Count < 2 ? string.Join("", days) : $"{string.Join(", ", days[..^1])} and {days[^1]}";
    }
}

/// <summary>What a reminder run did.</summary>
public sealed record ReminderRun(int Reminders, int Emails, int AlreadySent);

/// <summary>
/// Renewal reminders (seed 000: "reminders of your due subscription 30 days, 15 days, 7 days before
/// your expiry"). Each live subscription (trials too) gets one reminder per threshold per term, to the
/// Owner and the members with Manage account. The <see cref="RenewalReminder"/> row (key subscription,
/// term end, threshold) goes in with the emails in one SaveChanges, so a second run, or another
/// instance at the same moment, hits the primary key and sends nothing. After days without a run
/// only the nearest threshold goes out: one email, not three.
/// </summary>
public sealed class RenewalReminders(
    AccrueDb db, UpcomingRenewals renewals, Mailer mailer, AppUrls urls, IOptions<ReminderOptions> options, TimeProvider clock, ILogger<RenewalReminders> logger)
{
    public async Task<ReminderRun> RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var thresholds = settings.Thresholds;
        if (thresholds.Count == 0) return new ReminderRun(0, 0, 0);
        // Coarse in SQL (UTC date, a day of slack either side for time zones, and the stored end is the day
        // after the last day); exact per organization below.
        var horizon = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(thresholds[0] + 2);
        var from = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var candidates = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => (s.Status == SubscriptionStatus.Trial || s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.PastDue)
                && s.TermEnd <= horizon && s.TermEnd >= from)
            .Where(s => db.Organizations.IgnoreQueryFilters().Any(o => o.Id == s.OrganizationId && o.Status == OrganizationStatus.Active))
            .OrderBy(s => s.OrganizationId).ThenBy(s => s.TermEnd)
            .Select(s => new { s.Id, s.OrganizationId, s.TermStart, s.TermEnd }).ToListAsync(ct);

        int reminders = 0, emails = 0, already = 0;
        Organization? organization = null;
        foreach (var chunk in candidates.Chunk(500))
        {
            var ids = chunk.Select(c => c.Id).ToList();
            var sent = (await db.RenewalReminders.IgnoreQueryFilters().AsNoTracking().Where(r => ids.Contains(r.SubscriptionId))
                .Select(r => new { r.SubscriptionId, r.TermEnd, r.DaysBefore }).ToListAsync(ct))
                .ToLookup(r => (r.SubscriptionId, r.TermEnd), r => r.DaysBefore);
            foreach (var candidate in chunk)
            {
                if (organization?.Id != candidate.OrganizationId)
                    organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == candidate.OrganizationId, ct);
                var today = organization.Today(clock);
                // The nearest threshold reached, counted to the last day (the rule the banner and the dashboard use too).
                if (ExpiryReminders.Threshold(thresholds, candidate.TermStart, candidate.TermEnd, today) is not { } threshold) continue;
                // Sent already, or a nearer one was (the thresholds changed since): nothing more for this term.
                if (sent[(candidate.Id, candidate.TermEnd)].Any(d => d > 0 && d <= threshold)) { already++; continue; }
                var queued = await RemindAsync(organization, candidate.Id, threshold, today, ct);
                if (queued is null) { already++; continue; }
                reminders++;
                emails += queued.Value;
            }
        }
        return new ReminderRun(reminders, emails, already);
    }

    /// <summary>Queues the reminder and inserts its row in one SaveChanges; null when another run sent it first.</summary>
    private async Task<int?> RemindAsync(Organization organization, Guid subscriptionId, int threshold, DateOnly today, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var subscription = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking().Include(s => s.Items).SingleAsync(s => s.Id == subscriptionId, ct);
        var forecast = await renewals.ForecastAsync(organization, subscription, ct);
        var recipients = await db.AccountManagersAsync(organization.Id, ct);
        var balance = forecast.PaidBy == RenewalPayment.Wallet
            ? await db.Wallets.IgnoreQueryFilters().Where(w => w.OrganizationId == organization.Id).Select(w => (decimal?)w.Balance).SingleOrDefaultAsync(ct) ?? 0m
            : (decimal?)null;
        var (template, values) = Message(organization, subscription, forecast, balance, today);
        foreach (var member in recipients)
            await mailer.QueueAsync(template, member.Email, organization.Id, new Dictionary<string, string>(values) { ["Name"] = member.Name });
        db.RenewalReminders.Add(new RenewalReminder
        {
            SubscriptionId = subscription.Id, TermEnd = subscription.TermEnd, DaysBefore = threshold, OrganizationId = organization.Id, SentAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            logger.LogInformation("Renewal reminder {Days} of {Subscription} was sent by another run", threshold, subscription.Id);
            db.ChangeTracker.Clear();
            return null;
        }
        if (recipients.Count == 0) logger.LogWarning("Renewal reminder of {Subscription}: nobody in {Organization} may manage the account", subscription.Id, organization.Name);
        return recipients.Count;
    }

    private (EmailTemplates.Template, Dictionary<string, string>) Message(Organization organization, Subscription subscription, RenewalForecast forecast, decimal? balance, DateOnly today)
    {
        // The last day of the term and the days to it, as the portal shows them (EndDates).
        var values = new Dictionary<string, string>
        {
            ["Subscription"] = forecast.Name, ["Organization"] = organization.Name, ["Thresholds"] = options.Value.Describe(),
            ["Link"] = urls.Absolute($"/portal/subscriptions/{subscription.Id}/renew"),
            ["LastDay"] = EndDates.LastDayText(subscription.TermEnd),
            ["When"] = EndDates.Relative(EndDates.DaysLeft(subscription.TermEnd, today)),
        };
        if (subscription.Status == SubscriptionStatus.Trial)
        {
            values["Then"] = UpcomingRenewals.Renews(subscription)
                ? $"It then continues as a paid subscription for {forecast.AmountText}, {forecast.PaidByText(balance)}. To choose the term and seats yourself, activate it now:"
                : "It then ends. Activate it to keep using it:";
            return (EmailTemplates.TrialEnding, values);
        }
        if (UpcomingRenewals.Renews(subscription))
        {
            values["Amount"] = forecast.AmountText;
            values["PaidBy"] = forecast.PaidByText(balance);
            return (EmailTemplates.RenewalUpcoming, values);
        }
        return (EmailTemplates.SubscriptionExpiring, values);
    }
}

/// <summary>Sends due renewal reminders every "Reminders:PollInterval" (default one hour).</summary>
public sealed class RenewalReminderJob(IServiceScopeFactory scopes, IOptions<ReminderOptions> options, TimeProvider clock, ILogger<RenewalReminderJob> logger)
    : ScheduledJob(scopes, clock, logger)
{
    protected override string Name => "renewal-reminders";
    protected override TimeSpan Interval => options.Value.PollInterval;
    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) => services.GetRequiredService<RenewalReminders>().RunAsync(ct);
}
