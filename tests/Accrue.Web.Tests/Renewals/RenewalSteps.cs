using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Billing;
using Accrue.Domain.Invoices;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Features.Wallet;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Renewals;

/// <summary>A customer of its own for each test: an organization in Germany (19 % VAT) billed in euros.</summary>
public sealed record Customer(Guid Id, string OwnerEmail);

public static class RenewalSteps
{
    /// <summary>TV Max: 49 USD, 44.10 EUR a month; with German VAT a month is 52.48.</summary>
    public const string TvMax = "tv-max";
    public const decimal TvMaxMonth = 52.48m;
    public const string Daily = "intercom-daily";

    public static async Task<Customer> NewCustomerAsync(this AccrueApp app, BillingMode mode, decimal wallet = 0)
    {
        var owner = $"{Http.Unique("owner")}@renewals.test";
        var body = ApiKeysForTests.NewOrganization(ownerEmail: owner);
        (body["country"], body["currency"], body["timeZone"], body["billingMode"]) = ("DE", "EUR", "Europe/Berlin", mode.ToString());
        body["billingAddress"] = new { line1 = "Hauptstraße 1", city = "Berlin", postalCode = "10115" };
        var api = await app.OperatorApiAsync();
        var response = await api.PostAsJsonAsync("/api/v1/organizations", body);
        var created = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, created.ToString());
        var customer = new Customer(created.GetProperty("id").GetGuid(), owner);
        if (wallet > 0) await app.CreditAsync(customer, wallet);
        return customer;
    }

    public static Task CreditAsync(this AccrueApp app, Customer customer, decimal amount) =>
        app.AsSystemAsync(async services => (await services.GetRequiredService<WalletLedger>()
            .PostAsync(new WalletPosting(customer.Id, WalletEntryKind.Adjustment, amount, "Test credit") { Reason = "Test" })).Value!);

    /// <summary>A subscription to <paramref name="planCode"/> whose term ends on <paramref name="termEnd"/>, set up as the test needs it.</summary>
    public static Task<Guid> SubscribeAsync(this AccrueApp app, Customer customer, string planCode, DateOnly termEnd, Action<Subscription>? shape = null, bool trial = false) =>
        app.DbAsync(async db =>
        {
            var plan = await db.Plans.SingleAsync(p => p.Code == planCode);
            var start = plan.Period == BillingPeriod.Day ? termEnd.AddDays(-1) : termEnd.AddMonths(-1);
            var subscription = trial
                ? Subscription.StartTrial(customer.Id, plan.Id, plan.CurrentVersionId!.Value, "EUR", start, termEnd.DayNumber - start.DayNumber, 1)
                : Subscription.Activate(customer.Id, plan.Id, plan.CurrentVersionId!.Value, "EUR", new Term(start, termEnd), 1);
            shape?.Invoke(subscription);
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return subscription.Id;
        });

    public static Task<BillingRun> BillAsync(this AccrueApp app, DateOnly asOf) =>
        app.AsSystemAsync(services => services.GetRequiredService<BillingRunner>().RunAsync(asOf, BillingTriggers.Api));

    public static Task<Subscription> SubscriptionAsync(this AccrueApp app, Guid id) =>
        app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().AsNoTracking().SingleAsync(s => s.Id == id));

    public static Task<List<Invoice>> RenewalInvoicesAsync(this AccrueApp app, Guid subscriptionId) =>
        app.DbAsync(db => db.Invoices.IgnoreQueryFilters().AsNoTracking().Where(i => i.SubscriptionId == subscriptionId).OrderBy(i => i.Sequence).ToListAsync());

    public static Task<Domain.Wallets.Wallet> WalletAsync(this AccrueApp app, Customer customer) =>
        app.DbAsync(db => db.Wallets.IgnoreQueryFilters().AsNoTracking().SingleAsync(w => w.OrganizationId == customer.Id));

    public static Task<List<WalletEntry>> RenewalEntriesAsync(this AccrueApp app, Customer customer) =>
        app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.OrganizationId == customer.Id && e.Kind == WalletEntryKind.Renewal).OrderBy(e => e.Sequence).ToListAsync());
}
