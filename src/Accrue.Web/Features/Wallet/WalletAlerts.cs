using System.Globalization;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Features.Webhooks;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Jobs;
using Accrue.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Features.Wallet;

/// <summary>Configuration section "WalletAlerts".</summary>
public sealed class WalletAlertOptions
{
    /// <summary>Automatic renewals due within this many days must be covered by the wallet, or the Owner is told what to top up.</summary>
    public int RenewalHorizonDays { get; set; } = 7;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>What a wallet alert run did.</summary>
public sealed record WalletAlertRun(int LowBalance, int Shortfalls);

/// <summary>
/// Alerts prepaid organizations about their wallet (seed 004), by email to the Owner and Manage
/// account members:
/// <list type="bullet">
/// <item>balance below <see cref="Domain.Wallets.Wallet.LowBalanceThreshold"/>: once, marked by
/// <see cref="Domain.Wallets.Wallet.LowBalanceAlerted"/> set by a conditional update, so two runs
/// can't both send; <see cref="Features.Wallet.WalletLedger"/> clears the mark when a credit lifts the
/// balance back to the threshold, which re-arms the alert;</item>
/// <item>auto-renewals due within "WalletAlerts:RenewalHorizonDays" that the balance can't cover: the
/// amount needed, once per subscription and term end — a <see cref="RenewalReminder"/> row with
/// <see cref="ShortfallMarker"/> as its threshold, inserted with the email.</item>
/// </list>
/// </summary>
public sealed class WalletAlerts(
    AccrueDb db, UpcomingRenewals renewals, Mailer mailer, AppUrls urls, IOptions<WalletAlertOptions> options, TimeProvider clock, ILogger<WalletAlerts> logger)
{
    /// <summary>The <see cref="RenewalReminder.DaysBefore"/> of a "wallet can't cover this renewal" alert (thresholds are positive).</summary>
    public const int ShortfallMarker = -1;

    public async Task<WalletAlertRun> RunAsync(CancellationToken ct) =>
        new(await LowBalanceAsync(ct), await ShortfallsAsync(ct));

    private async Task<int> LowBalanceAsync(CancellationToken ct)
    {
        var low = await db.Wallets.IgnoreQueryFilters().AsNoTracking()
            .Where(w => w.LowBalanceThreshold > 0 && !w.LowBalanceAlerted && w.Balance < w.LowBalanceThreshold)
            .Where(w => db.Organizations.IgnoreQueryFilters().Any(o => o.Id == w.OrganizationId && o.BillingMode == BillingMode.Prepaid && o.Status == OrganizationStatus.Active))
            .Select(w => w.OrganizationId).ToListAsync(ct);
        var alerted = 0;
        foreach (var organizationId in low)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The mark first, conditionally: only one run's update matches, and only that run emails.
            var marked = await db.Wallets.IgnoreQueryFilters()
                .Where(w => w.OrganizationId == organizationId && !w.LowBalanceAlerted && w.LowBalanceThreshold > 0 && w.Balance < w.LowBalanceThreshold)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LowBalanceAlerted, true), ct);
            if (marked == 0) continue;
            var wallet = await db.Wallets.IgnoreQueryFilters().AsNoTracking().SingleAsync(w => w.OrganizationId == organizationId, ct);
            var organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == organizationId, ct);
            foreach (var member in await db.AccountManagersAsync(organizationId, ct))
                await mailer.QueueAsync(EmailTemplates.WalletLow, member.Email, organizationId, new Dictionary<string, string>
                {
                    ["Name"] = member.Name, ["Organization"] = organization.Name, ["Balance"] = Money.Format(wallet.Balance, wallet.Currency),
                    ["Threshold"] = Money.Format(wallet.LowBalanceThreshold, wallet.Currency), ["Link"] = urls.Absolute("/portal/wallet/top-up"),
                });
            await db.PublishWebhookAsync(organizationId, WebhookEvents.WalletLow, new WalletLowEvent(wallet.Currency, wallet.Balance.ToAmount(wallet.Currency), wallet.LowBalanceThreshold.ToAmount(wallet.Currency)), ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            alerted++;
            logger.LogInformation("Wallet of {Organization} below {Threshold}: alerted", organization.Name, wallet.LowBalanceThreshold);
        }
        return alerted;
    }

    private async Task<int> ShortfallsAsync(CancellationToken ct)
    {
        var days = Math.Max(0, options.Value.RenewalHorizonDays);
        var until = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(days + 1);
        var from = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var organizations = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.PastDue || s.Status == SubscriptionStatus.Trial)
                && s.AutoRenew && !s.CancelAtPeriodEnd && s.TermEnd <= until && s.TermEnd >= from)
            .Where(s => db.Organizations.IgnoreQueryFilters().Any(o => o.Id == s.OrganizationId && o.BillingMode == BillingMode.Prepaid && o.Status == OrganizationStatus.Active))
            .Select(s => s.OrganizationId).Distinct().ToListAsync(ct);
        var alerted = 0;
        foreach (var organizationId in organizations)
            if (await ShortfallAsync(organizationId, days, ct)) alerted++;
        return alerted;
    }

    private async Task<bool> ShortfallAsync(Guid organizationId, int days, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var organization = await db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == organizationId, ct);
        var today = organization.Today(clock);
        var last = today.AddDays(days);
        var due = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking().Include(s => s.Items)
            .Where(s => s.OrganizationId == organizationId && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.PastDue || s.Status == SubscriptionStatus.Trial)
                && s.AutoRenew && !s.CancelAtPeriodEnd && s.TermEnd >= today && s.TermEnd <= last)
            .OrderBy(s => s.TermEnd).ToListAsync(ct);
        var forecasts = new List<(Subscription Subscription, RenewalForecast Forecast)>();
        foreach (var subscription in due)
            forecasts.Add((subscription, await renewals.ForecastAsync(organization, subscription, ct)));
        // Only what the wallet pays: renewals charged to the card on file don't need credit.
        var fromWallet = forecasts.Where(f => f.Forecast.PaidBy == RenewalPayment.Wallet && f.Forecast.Amount > 0).ToList();
        if (fromWallet.Count == 0) return false;
        var needed = fromWallet.Sum(f => f.Forecast.Amount!.Value);
        var balance = await db.Wallets.IgnoreQueryFilters().Where(w => w.OrganizationId == organizationId).Select(w => (decimal?)w.Balance).SingleOrDefaultAsync(ct) ?? 0m;
        if (balance >= needed) return false;

        var ids = fromWallet.Select(f => f.Subscription.Id).ToList();
        var told = await db.RenewalReminders.IgnoreQueryFilters().AsNoTracking()
            .Where(r => ids.Contains(r.SubscriptionId) && r.DaysBefore == ShortfallMarker).Select(r => new { r.SubscriptionId, r.TermEnd }).ToListAsync(ct);
        var untold = fromWallet.Where(f => !told.Any(t => t.SubscriptionId == f.Subscription.Id && t.TermEnd == f.Subscription.TermEnd)).ToList();
        if (untold.Count == 0) return false;

        db.ChangeTracker.Clear();
        var currency = organization.Currency;
        var list = string.Join("\n", fromWallet.Select(f => $"- {f.Forecast.Name}, {EndDates.Until(f.Subscription.TermEnd)}: {Money.Format(f.Forecast.Amount!.Value, currency)}"));
        foreach (var member in await db.AccountManagersAsync(organizationId, ct))
            await mailer.QueueAsync(EmailTemplates.WalletShortfall, member.Email, organizationId, new Dictionary<string, string>
            {
                ["Name"] = member.Name, ["Organization"] = organization.Name, ["Until"] = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Needed"] = Money.Format(needed, currency), ["Balance"] = Money.Format(balance, currency),
                ["Shortfall"] = Money.Format(needed - balance, currency), ["Renewals"] = list, ["Link"] = urls.Absolute("/portal/wallet/top-up"),
            });
        var now = clock.GetUtcNow();
        foreach (var (subscription, _) in untold)
            db.RenewalReminders.Add(new RenewalReminder
            {
                SubscriptionId = subscription.Id, TermEnd = subscription.TermEnd, DaysBefore = ShortfallMarker, OrganizationId = organizationId, SentAt = now,
            });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            logger.LogInformation("Wallet shortfall of {Organization} was reported by another run", organization.Name);
            db.ChangeTracker.Clear();
            return false;
        }
        logger.LogInformation("Wallet of {Organization} can't cover {Needed} of renewals: alerted", organization.Name, needed);
        return true;
    }
}

/// <summary>Checks prepaid wallets every "WalletAlerts:PollInterval" (default one hour).</summary>
public sealed class WalletAlertJob(IServiceScopeFactory scopes, IOptions<WalletAlertOptions> options, TimeProvider clock, ILogger<WalletAlertJob> logger)
    : ScheduledJob(scopes, clock, logger)
{
    protected override string Name => "wallet-alerts";
    protected override TimeSpan Interval => options.Value.PollInterval;
    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) => services.GetRequiredService<WalletAlerts>().RunAsync(ct);
}
