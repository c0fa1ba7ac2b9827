using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Subscriptions;
using Accrue.Domain.Wallets;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Jobs;
using Accrue.Web.Tests.Usage;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Accounts;

/// <summary>Issue 15 A4: an organization's currency can't change under anything priced in it.</summary>
public abstract class CurrencyChangeTests(AccrueApp app)
{
    private Task<string> CurrencyAsync(Guid id) =>
        app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == id).Select(o => o.Currency).SingleAsync());

    private Task<int> OrganizationAuditsAsync(Guid id) =>
        app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == id));

    private async Task<HttpResponseMessage> ChangeCurrencyAsync(Guid id, string currency)
    {
        var name = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == id).Select(o => o.Name).SingleAsync());
        return await (await app.OperatorApiAsync()).PutAsJsonAsync($"/api/v1/organizations/{id}",
            new { name, country = "DE", currency, timeZone = "Europe/Berlin", billingMode = "Prepaid" });
    }

    [Fact]
    public async Task A_live_subscription_wallet_money_an_open_bill_and_units_block_the_change_and_nothing_is_written()
    {
        var customer = await app.NewPrepaidAsync();
        var id = customer.OrganizationId;
        await app.SubscribeAsync(id);
        await app.PostWalletAsync(id, WalletEntryKind.TopUp, 12.5m);
        var bill = await app.OpenBillAsync(id, 10m);
        await app.CreditAsync(id, "ocr", 40);
        var audits = await OrganizationAuditsAsync(id);

        var problem = await (await ChangeCurrencyAsync(id, "JPY")).ProblemAsync(409);

        Assert.Equal("currency_locked", problem.GetProperty("code").GetString());
        var message = $"The currency can't change from EUR while anything is priced in it. End or cancel 1 live subscription. "
            + $"Withdraw the remaining wallet balance of EUR 12.50. Settle 1 open bill: {bill.Number} (EUR 10.00). Use up or withdraw the unit balances (40 ocr).";
        Assert.Equal(message, problem.GetProperty("detail").GetString());
        Assert.Equal([message], problem.GetProperty("errors").GetProperty("currency").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Equal("EUR", await CurrencyAsync(id));
        Assert.Equal(audits, await OrganizationAuditsAsync(id));
    }

    [Fact]
    public async Task Once_the_subscription_has_ended_and_the_money_is_out_the_currency_changes()
    {
        var customer = await app.NewPrepaidAsync();
        var id = customer.OrganizationId;
        var subscription = await app.SubscribeAsync(id);
        await (await ChangeCurrencyAsync(id, "USD")).ProblemAsync(409);

        await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.Id == subscription.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubscriptionStatus.Expired)));
        var changed = await ChangeCurrencyAsync(id, "USD");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("USD", await CurrencyAsync(id));
    }
}

public sealed class CurrencyChangeOnSqlite(SqliteApp app) : CurrencyChangeTests(app), IClassFixture<SqliteApp>;

public sealed class CurrencyChangeOnPostgres(PostgresApp app) : CurrencyChangeTests(app), IClassFixture<PostgresApp>;
