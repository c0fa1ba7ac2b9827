using System.Net;
using Accrue.Domain.Vouchers;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Vouchers;

/// <summary>The console's vouchers module and the portal's Vouchers pages, as people use them (this class's own database).</summary>
public abstract class VoucherPageTests(AccrueApp app)
{
    private static readonly string Expiry = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd");

    private Task<Guid> AcmeAsync() => app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Name == "Acme Prepaid Ltd").Select(o => o.Id).SingleAsync());

    [Fact]
    public async Task The_operator_issues_a_print_batch_in_the_console_and_exports_it()
    {
        var console = await app.SignedInAsync("admin@demo-telecom.test");
        var name = Http.Unique("Console SMS");

        var created = await console.SubmitFormAsync("/console/vouchers", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Kind"] = "Print", ["Input.Units"] = "100", ["Input.Meter"] = "sms", ["Input.Count"] = "7", ["Input.ExpiresOn"] = Expiry,
        });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var batch = await app.DbAsync(db => db.VoucherBatches.SingleAsync(b => b.Name == name));
        Assert.Equal(7, await app.DbAsync(db => db.Vouchers.CountAsync(v => v.BatchId == batch.Id)));
        var detail = await console.GetPageAsync($"/console/vouchers/{batch.Id}");
        Assert.Contains("7 available", detail.Body!.TextContent, StringComparison.Ordinal);

        var pdf = await console.SubmitFormAsync($"/console/vouchers/{batch.Id}", new Dictionary<string, string>(), $"form[action='/console/vouchers/{batch.Id}?handler=Pdf']");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        Assert.NotNull(await app.DbAsync(db => db.VoucherBatches.Where(b => b.Id == batch.Id).Select(b => b.ExportedAt).SingleAsync()));
    }

    [Fact]
    public async Task Bad_batch_input_in_the_console_shows_the_errors_and_writes_nothing()
    {
        var console = await app.SignedInAsync("admin@demo-telecom.test");
        var before = await app.CountAsync<VoucherBatch>();

        var response = await console.SubmitFormAsync("/console/vouchers", new Dictionary<string, string>
        {
            ["Input.Name"] = "Bad", ["Input.Kind"] = "Print", ["Input.Amount"] = "5", ["Input.Currency"] = "USD", ["Input.Count"] = "0", ["Input.ExpiresOn"] = Expiry,
        });

        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(page.Errors(), e => e.Contains("between 1 and 10,000", StringComparison.Ordinal));
        Assert.Equal(before, await app.CountAsync<VoucherBatch>());
    }

    [Fact]
    public async Task The_owner_buys_an_online_voucher_sees_the_code_once_then_only_masked()
    {
        var owner = await app.SignedInAsync("owner@acme.test");
        var batchId = await app.DbAsync(db => db.VoucherBatches.Where(b => b.Name == "Wallet voucher USD 25").Select(b => b.Id).SingleAsync());

        var response = await owner.SubmitFormAsync("/portal/vouchers", new Dictionary<string, string>
        {
            ["BatchId"] = batchId.ToString(), ["Quantity"] = "1", ["PaymentMethod"] = "NewCard", ["Card.Number"] = "4242424242424242", ["Card.ExpiryMonth"] = "12",
            ["Card.ExpiryYear"] = (DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), ["Card.Cvc"] = "123", ["Acknowledged"] = "true",
        });

        var html = await response.Content.ReadAsStringAsync();
        var code = await app.DbAsync(db => db.Vouchers.Where(v => v.BatchId == batchId && v.Status == VoucherStatus.Sold).Select(v => v.Code).SingleAsync());
        Assert.Contains(VoucherCode.Format(code), html, StringComparison.Ordinal);
        var later = await owner.GetPageAsync("/portal/vouchers");
        Assert.DoesNotContain(VoucherCode.Format(code), later.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(VoucherCode.Mask(code), later.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_redeems_a_wallet_voucher_in_the_portal_and_sees_the_new_balance()
    {
        var acme = await AcmeAsync();
        var api = await Api.ApiKeysForTests.OperatorApiAsync(app);
        var created = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, "/api/v1/voucher-batches",
            new { name = Http.Unique("Print USD"), kind = "Print", amount = "25", currency = "USD", count = 1, expiresOn = Expiry });
        var batchId = (await Api.ApiKeysForTests.JsonAsync(created)).GetProperty("id").GetGuid();
        var code = await app.DbAsync(db => db.Vouchers.Where(v => v.BatchId == batchId).Select(v => v.Code).SingleAsync());
        var before = await app.DbAsync(db => db.Wallets.IgnoreQueryFilters().Where(w => w.OrganizationId == acme).Select(w => w.Balance).SingleOrDefaultAsync());
        var owner = await app.SignedInAsync("owner@acme.test");

        var wrong = await owner.SubmitFormAsync("/portal/vouchers/redeem", new Dictionary<string, string> { ["Code"] = "NOPE-NOPE" });
        Assert.Contains("not a valid code", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var redeemed = await owner.SubmitFormAsync("/portal/vouchers/redeem", new Dictionary<string, string> { ["Code"] = VoucherCode.Format(code).ToLowerInvariant() });

        Assert.Equal(HttpStatusCode.Redirect, redeemed.StatusCode);
        var page = await owner.GetPageAsync("/portal/vouchers/redeem");
        Assert.Contains("Voucher redeemed: USD 25.00 added to your wallet", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before + 25m, await app.DbAsync(db => db.Wallets.IgnoreQueryFilters().Where(w => w.OrganizationId == acme).Select(w => w.Balance).SingleAsync()));
    }

    [Fact]
    public async Task A_member_without_Manage_account_cannot_open_the_vouchers_pages()
    {
        var member = await app.SignedInAsync("member@acme.test");
        await member.GetPageAsync("/portal/vouchers/redeem", HttpStatusCode.Forbidden);
    }
}

public sealed class VoucherPageTestsOnSqlite(SqliteApp app) : VoucherPageTests(app), IClassFixture<SqliteApp>;

public sealed class VoucherPageTestsOnPostgres(PostgresApp app) : VoucherPageTests(app), IClassFixture<PostgresApp>;
