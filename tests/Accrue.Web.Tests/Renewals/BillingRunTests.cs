using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Invoices;
using Accrue.Domain.Orders;
using Accrue.Domain.Subscriptions;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Renewals.RenewalSteps;

namespace Accrue.Web.Tests.Renewals;

/// <summary>The billing run in process: what each kind of subscription becomes at the end of its term.</summary>
public abstract class BillingRunTests(AccrueApp app)
{
    private static readonly DateOnly Day = new(2027, 3, 10);

    [Fact]
    public async Task A_prepaid_renewal_is_paid_from_the_wallet_once()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 100m);
        var id = await app.SubscribeAsync(customer, TvMax, Day);

        var run = await app.BillAsync(Day);

        var subscription = await app.SubscriptionAsync(id);
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal((Day, new DateOnly(2027, 4, 10)), (subscription.TermStart, subscription.TermEnd));
        var invoice = Assert.Single(await app.RenewalInvoicesAsync(id));
        Assert.Equal((InvoiceStatus.Paid, TvMaxMonth, Day, Day), (invoice.Status, invoice.Total, invoice.PeriodStart!.Value, invoice.IssuedOn));
        var line = Assert.Single(invoice.Lines);
        Assert.Equal((44.10m, 8.38m, Day, new DateOnly(2027, 4, 10)), (line.Amount, line.Tax, line.PeriodStart!.Value, line.PeriodEnd!.Value));
        Assert.StartsWith("INV-", invoice.Number, StringComparison.Ordinal);
        var entry = Assert.Single(await app.RenewalEntriesAsync(customer));
        Assert.Equal((-TvMaxMonth, 100m - TvMaxMonth, $"renewal:{id:N}:20270310"), (entry.Amount, entry.BalanceAfter, entry.UniqueKey));
        Assert.Equal(100m - TvMaxMonth, (await app.WalletAsync(customer)).Balance);
        Assert.True(run.Renewed >= 1 && run.Invoiced >= 1);
        Assert.NotNull(run.FinishedAt);

        // Running again on the same day finds nothing due: nothing is billed or debited twice.
        await app.BillAsync(Day);
        Assert.Single(await app.RenewalInvoicesAsync(id));
        Assert.Single(await app.RenewalEntriesAsync(customer));
        Assert.Equal(100m - TvMaxMonth, (await app.WalletAsync(customer)).Balance);
    }

    [Fact]
    public async Task A_prepaid_renewal_without_funds_is_past_due_until_the_wallet_is_topped_up()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 10m);
        var id = await app.SubscribeAsync(customer, TvMax, Day);

        await app.BillAsync(Day);

        var subscription = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.PastDue, Day), (subscription.Status, subscription.TermEnd));
        Assert.Empty(await app.RenewalInvoicesAsync(id));
        Assert.Equal(10m, (await app.WalletAsync(customer)).Balance);
        var email = await MailDev.WaitForAsync(customer.OwnerEmail, "could not be paid");
        Assert.Contains("52.48", email.Text, StringComparison.Ordinal);

        // The next run retries without writing to the Owner again.
        await app.BillAsync(Day.AddDays(1));
        Assert.Equal(SubscriptionStatus.PastDue, (await app.SubscriptionAsync(id)).Status);

        await app.CreditAsync(customer, 100m);
        await app.BillAsync(Day.AddDays(2));

        subscription = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Active, new DateOnly(2027, 4, 10)), (subscription.Status, subscription.TermEnd));
        var invoice = Assert.Single(await app.RenewalInvoicesAsync(id));
        Assert.Equal((InvoiceStatus.Paid, Day), (invoice.Status, invoice.PeriodStart!.Value));
        Assert.Equal(110m - TvMaxMonth, (await app.WalletAsync(customer)).Balance);
        Assert.Single(await MailDev.ToAsync(customer.OwnerEmail), m => m.Subject.Contains("could not be paid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_renewal_unpaid_for_thirty_days_expires()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Prepaid);
        var id = await app.SubscribeAsync(customer, TvMax, Day);

        await app.BillAsync(Day.AddDays(29));
        Assert.Equal(SubscriptionStatus.PastDue, (await app.SubscriptionAsync(id)).Status);
        await app.BillAsync(Day.AddDays(30));

        var subscription = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Expired, Day), (subscription.Status, subscription.TermEnd));
        Assert.Empty(await app.RenewalInvoicesAsync(id));
    }

    [Fact]
    public async Task A_postpaid_renewal_is_billed_with_the_organizations_payment_terms()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Postpaid);
        var id = await app.SubscribeAsync(customer, TvMax, Day);

        await app.BillAsync(Day);

        Assert.Equal(SubscriptionStatus.Active, (await app.SubscriptionAsync(id)).Status);
        var invoice = Assert.Single(await app.RenewalInvoicesAsync(id));
        var terms = (await app.OrganizationAsync(customer.Id)).PaymentTermsDays;
        Assert.Equal((InvoiceStatus.Open, TvMaxMonth, Day.AddDays(terms)), (invoice.Status, invoice.Total, invoice.DueOn!.Value));
        Assert.Null(invoice.PaidAt);
        Assert.Equal(0, await app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == customer.Id)));
    }

    [Fact]
    public async Task Terms_that_do_not_renew_end_and_trials_convert_or_expire()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Postpaid);
        var notRenewing = await app.SubscribeAsync(customer, TvMax, Day, s => s.AutoRenew = false);
        var cancelling = await app.SubscribeAsync(customer, TvMax, Day, s => s.Cancel(Day.AddDays(-5), immediately: false, null));
        var converting = await app.SubscribeAsync(customer, TvMax, Day, trial: true);
        var lapsing = await app.SubscribeAsync(customer, TvMax, Day, s => s.AutoRenew = false, trial: true);

        await app.BillAsync(Day);

        Assert.Equal(SubscriptionStatus.Expired, (await app.SubscriptionAsync(notRenewing)).Status);
        var cancelled = await app.SubscriptionAsync(cancelling);
        Assert.Equal((SubscriptionStatus.Cancelled, Day, false), (cancelled.Status, cancelled.CancelledOn!.Value, cancelled.CancelAtPeriodEnd));
        var converted = await app.SubscriptionAsync(converting);
        Assert.Equal((SubscriptionStatus.Active, Day, Day, new DateOnly(2027, 4, 10)),
            (converted.Status, converted.ActivatedOn!.Value, converted.TermStart, converted.TermEnd));
        Assert.Equal(TvMaxMonth, Assert.Single(await app.RenewalInvoicesAsync(converting)).Total);
        Assert.Equal(SubscriptionStatus.Expired, (await app.SubscriptionAsync(lapsing)).Status);
        foreach (var ended in new[] { notRenewing, cancelling, lapsing }) Assert.Empty(await app.RenewalInvoicesAsync(ended));

        // An ended subscription unlocks nothing: the entitlements go with it.
        Assert.False((await app.SubscriptionAsync(notRenewing)).IsLive);
    }

    [Fact]
    public async Task A_daily_subscription_rolls_every_day_and_a_late_run_catches_up_day_by_day()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Postpaid);
        var id = await app.SubscribeAsync(customer, Daily, Day);

        await app.BillAsync(Day.AddDays(2));

        var subscription = await app.SubscriptionAsync(id);
        Assert.Equal((Day.AddDays(2), Day.AddDays(3)), (subscription.TermStart, subscription.TermEnd));
        var invoices = await app.RenewalInvoicesAsync(id);
        Assert.Equal([Day, Day.AddDays(1), Day.AddDays(2)], invoices.Select(i => i.PeriodStart!.Value));
        Assert.Equal([invoices[0].Sequence, invoices[0].Sequence + 1, invoices[0].Sequence + 2], invoices.Select(i => i.Sequence));
        Assert.All(invoices, i => Assert.Equal(invoices[0].Total, i.Total));

        await app.BillAsync(Day.AddDays(3));
        Assert.Equal(Day.AddDays(4), (await app.SubscriptionAsync(id)).TermEnd);
        Assert.Equal(4, (await app.RenewalInvoicesAsync(id)).Count);
    }

    [Fact]
    public async Task Renewals_and_expiries_are_announced_to_the_organizations_webhooks()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Prepaid, wallet: 100m);
        await app.DbAsync(async db =>
        {
            var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == customer.Id);
            db.WebhookEndpoints.Add(new Data.WebhookEndpoint
            {
                OperatorId = organization.OperatorId, OrganizationId = customer.Id, Url = "http://127.0.0.1:9/hooks", Secret = "whsec_test",
                EventTypes = ["subscription.renewed", "subscription.expired", "invoice.issued"],
            });
            return await db.SaveChangesAsync();
        });
        var renewing = await app.SubscribeAsync(customer, TvMax, Day);
        var ending = await app.SubscribeAsync(customer, TvMax, Day, s => s.AutoRenew = false);

        await app.BillAsync(Day);

        var deliveries = await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.OrganizationId == customer.Id)
            .Select(d => new { d.EventType, d.Payload }).ToListAsync());
        Assert.Equal(["invoice.issued", "subscription.expired", "subscription.renewed"], deliveries.Select(d => d.EventType).Order());
        Assert.Contains(renewing.ToString(), deliveries.Single(d => d.EventType == "subscription.renewed").Payload, StringComparison.Ordinal);
        Assert.Contains(ending.ToString(), deliveries.Single(d => d.EventType == "subscription.expired").Payload, StringComparison.Ordinal);
        Assert.Contains("52.48", deliveries.Single(d => d.EventType == "invoice.issued").Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_keys_start_and_list_billing_runs_through_the_api()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Postpaid);
        var id = await app.SubscribeAsync(customer, TvMax, Day.AddDays(40));
        var runs = await app.CountAsync<Data.BillingRun>();
        var organizationKey = await app.ApiAsync(customer.Id, null);
        var operatorKey = await app.OperatorApiAsync();

        await (await organizationKey.PostAsJsonAsync("/api/v1/billing-runs", new { asOf = "2027-04-19" })).ProblemAsync(403);
        var missing = await (await operatorKey.PostAsJsonAsync("/api/v1/billing-runs", new { })).ProblemAsync(400);
        Assert.Contains("asOf", missing.ErrorKeys());
        Assert.Equal(runs, await app.CountAsync<Data.BillingRun>());
        Assert.Equal(Day.AddDays(40), (await app.SubscriptionAsync(id)).TermEnd);

        var response = await operatorKey.PostAsJsonAsync("/api/v1/billing-runs", new { asOf = "2027-04-19" });
        var run = await response.JsonAsync();
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(("2027-04-19", "api"), (run.GetProperty("asOf").GetString(), run.GetProperty("trigger").GetString()));
        Assert.True(run.GetProperty("renewed").GetInt32() >= 1);
        Assert.Equal(SubscriptionStatus.Active, (await app.SubscriptionAsync(id)).Status);
        Assert.Single(await app.RenewalInvoicesAsync(id));

        var list = await (await operatorKey.GetAsync("/api/v1/billing-runs?limit=200")).JsonAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == run.GetProperty("id").GetGuid());
        await (await organizationKey.GetAsync("/api/v1/billing-runs")).ProblemAsync(403);
    }

    [Fact]
    public async Task Operator_staff_run_billing_from_the_console_and_see_its_history()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Postpaid);
        var id = await app.SubscribeAsync(customer, TvMax, Day.AddDays(50));
        var staff = await app.SignedInAsync("admin@demo-telecom.test");
        var runs = await app.CountAsync<Data.BillingRun>();

        var refused = Http.Parse(await (await staff.SubmitFormAsync("/console/billing-runs", new Dictionary<string, string> { ["AsOf"] = "" })).Content.ReadAsStringAsync());
        Assert.Contains("Give the day to bill up to.", refused.Errors());
        Assert.Equal(runs, await app.CountAsync<Data.BillingRun>());

        var ran = await staff.SubmitFormAsync("/console/billing-runs", new Dictionary<string, string> { ["AsOf"] = "2027-04-29" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, ran.StatusCode);
        Assert.Equal(SubscriptionStatus.Active, (await app.SubscriptionAsync(id)).Status);
        Assert.Single(await app.RenewalInvoicesAsync(id));
        var page = await staff.GetPageAsync("/console/billing-runs");
        Assert.Contains("2027-04-29", page.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("console", page.QuerySelector("table")!.TextContent, StringComparison.Ordinal);

        // Partner staff see the history but can't start a run.
        var partner = await app.SignedInAsync("staff@northwind.test");
        Assert.Null((await partner.GetPageAsync("/console/billing-runs")).QuerySelector("main form"));
        var before = await app.CountAsync<Data.BillingRun>();
        var forbidden = await partner.PostFormAsync("/console/billing-runs", new Dictionary<string, string> { ["AsOf"] = "2027-05-29" }, "/console/billing-runs");
        Assert.Equal((System.Net.HttpStatusCode.Redirect, "/account/denied"), (forbidden.StatusCode, forbidden.Headers.Location?.AbsolutePath));
        Assert.Equal(before, await app.CountAsync<Data.BillingRun>());
    }

    [Fact]
    public async Task The_card_on_file_pays_renewals_when_the_customer_chose_it()
    {
        var customer = await app.NewCustomerAsync(BillingMode.Postpaid);
        await app.SaveCardAsync(customer.Id, Orders.Shop.GoodCard);
        await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == customer.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ChargeCardForRenewals, true)));
        var id = await app.SubscribeAsync(customer, TvMax, Day);

        await app.BillAsync(Day);

        var invoice = Assert.Single(await app.RenewalInvoicesAsync(id));
        Assert.Equal(InvoiceStatus.Paid, invoice.Status);
        var payment = Assert.Single(await app.PaymentsAsync(customer.Id));
        Assert.Equal((PaymentStatus.Succeeded, TvMaxMonth, PaymentSource.CardOnFile), (payment.Status, payment.Amount, payment.Source));
        Assert.Equal(payment.Id, invoice.PaymentId);

        // A rerun finds the bill paid: the card is charged once.
        await app.BillAsync(Day);
        Assert.Single(await app.PaymentsAsync(customer.Id));
    }
}

public sealed class BillingRunTestsOnSqlite(SqliteApp app) : BillingRunTests(app), IClassFixture<SqliteApp>;

public sealed class BillingRunTestsOnPostgres(PostgresApp app) : BillingRunTests(app), IClassFixture<PostgresApp>;
