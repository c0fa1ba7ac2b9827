using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Orders;
using Accrue.Domain.Vouchers;
using Accrue.Domain.Wallets;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Accrue.Web.Tests.Api.CommerceApi;

namespace Accrue.Web.Tests.Vouchers;

public abstract class VoucherTests(AccrueApp app)
{
    private static string Expiry(int days = 90) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd");

    private async Task<(Guid Id, List<string> Codes)> BatchAsync(object body)
    {
        var created = await (await app.OperatorApiAsync()).PostAsJsonAsync("/api/v1/voucher-batches", body);
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        return (id, await app.DbAsync(db => db.Vouchers.Where(v => v.BatchId == id).OrderBy(v => v.Id).Select(v => v.Code).ToListAsync()));
    }

    private Task<(Guid Id, List<string> Codes)> PrintEurAsync(decimal amount = 10m, int count = 3) =>
        BatchAsync(new { name = Http.Unique("Print EUR"), kind = "Print", amount = amount.Wire(), currency = "EUR", count, expiresOn = Expiry() });

    private static Task<HttpResponseMessage> RedeemAsync(Customer customer, string code) =>
        customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/vouchers/redeem", new { code });

    private Task<decimal> BalanceAsync(Guid organizationId) =>
        app.DbAsync(db => db.Wallets.IgnoreQueryFilters().Where(w => w.OrganizationId == organizationId).Select(w => w.Balance).SingleOrDefaultAsync());

    private Task<int> EntriesAsync(Guid organizationId) =>
        app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == organizationId));

    [Fact]
    public async Task Creating_a_batch_issues_the_count_of_unique_well_formed_codes()
    {
        var (id, codes) = await BatchAsync(new { name = "SMS test", kind = "Print", units = 500, meter = "sms", count = 250, expiresOn = Expiry() });

        Assert.Equal(250, codes.Count);
        Assert.Equal(250, codes.Distinct().Count());
        Assert.All(codes, c => Assert.True(VoucherCode.IsWellFormed(c), c));
        var batch = await app.DbAsync(db => db.VoucherBatches.SingleAsync(b => b.Id == id));
        Assert.Equal((500L, "sms", 250), (batch.Units!.Value, batch.Meter!.ToLowerInvariant(), batch.Count));
        Assert.Null(batch.Amount);
        Assert.Equal(250, await app.DbAsync(db => db.Vouchers.CountAsync(v => v.BatchId == id && v.Status == VoucherStatus.Available)));
    }

    [Fact]
    public async Task Bad_batch_input_is_refused_with_a_clear_error_and_writes_nothing()
    {
        var api = await app.OperatorApiAsync();
        var batches = await app.CountAsync<VoucherBatch>();
        var vouchers = await app.CountAsync<Voucher>();
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd");
        (object Body, string Field)[] bad =
        [
            (new { name = "x", kind = "Print", amount = "10", currency = "EUR", count = 0, expiresOn = Expiry() }, "Count"),
            (new { name = "x", kind = "Print", amount = "10", currency = "EUR", count = 10_001, expiresOn = Expiry() }, "Count"),
            (new { name = "x", kind = "Print", amount = "10", currency = "EUR", count = 5, expiresOn = yesterday }, "ExpiresOn"),
            (new { name = "x", kind = "Print", amount = "10", currency = "EUR", units = 5, meter = "sms", count = 5, expiresOn = Expiry() }, "Amount"),
            (new { name = "x", kind = "Print", count = 5, expiresOn = Expiry() }, "Amount"),
            (new { name = "x", kind = "Print", units = 5, meter = "telepathy", count = 5, expiresOn = Expiry() }, "Meter"),
            (new { name = "x", kind = "Print", amount = "10.005", currency = "EUR", count = 5, expiresOn = Expiry() }, "Amount"),
            (new { name = "x", kind = "Online", units = 5, meter = "sms", count = 5, expiresOn = Expiry() }, "Price"),
        ];
        foreach (var (body, field) in bad)
        {
            var problem = await (await api.PostAsJsonAsync("/api/v1/voucher-batches", body)).ProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(field), out _), $"{field}: {problem}");
        }
        await (await (await app.OrganizationApiAsync()).PostAsJsonAsync("/api/v1/voucher-batches",
            new { name = "x", kind = "Print", amount = "10", currency = "EUR", count = 5, expiresOn = Expiry() })).ProblemAsync(403);
        Assert.Equal(batches, await app.CountAsync<VoucherBatch>());
        Assert.Equal(vouchers, await app.CountAsync<Voucher>());
    }

    [Fact]
    public async Task A_batch_name_that_looks_like_a_formula_is_exported_as_text()
    {
        var (id, codes) = await BatchAsync(new { name = "=HYPERLINK(\"http://evil.example\",\"x\")", kind = "Print", amount = "10", currency = "EUR", count = 1, expiresOn = Expiry() });
        var api = await app.OperatorApiAsync();

        var csv = await (await api.GetAsync($"/api/v1/voucher-batches/{id}/export.csv")).Content.ReadAsStringAsync();
        var console = await (await app.SignedInAsync("admin@demo-telecom.test")).SubmitFormAsync($"/console/vouchers/{id}", new Dictionary<string, string>(), $"form[action='/console/vouchers/{id}?handler=Csv']");

        // RFC 4180 quotes the cell (it holds quotes and a comma); inside, a leading apostrophe makes it text.
        Assert.Equal($"{VoucherCode.Format(codes[0])},EUR 10.00 wallet credit,{Expiry()},\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"", csv.Split("\r\n")[1]);
        Assert.Equal(csv, await console.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Exporting_a_print_batch_gives_the_grouped_codes_as_CSV_and_marks_it_exported()
    {
        var (id, codes) = await PrintEurAsync(count: 4);
        var api = await app.OperatorApiAsync();

        var response = await api.GetAsync($"/api/v1/voucher-batches/{id}/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("code,value,expires_on,batch", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith($"{VoucherCode.Format(codes[0])},EUR 10.00 wallet credit,{Expiry()},", lines[1], StringComparison.Ordinal);
        Assert.NotNull(await app.DbAsync(db => db.VoucherBatches.Where(b => b.Id == id).Select(b => b.ExportedAt).SingleAsync()));
        Assert.Equal(1, await app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.Action == "VoucherBatch.Exported" && a.EntityId == id.ToString())));

        var (online, _) = await BatchAsync(new { name = "Online", kind = "Online", amount = "5", currency = "EUR", count = 1, expiresOn = Expiry() });
        await (await api.GetAsync($"/api/v1/voucher-batches/{online}/export.csv")).ProblemAsync(409);
        Assert.Null(await app.DbAsync(db => db.VoucherBatches.Where(b => b.Id == online).Select(b => b.ExportedAt).SingleAsync()));
    }

    [Fact]
    public async Task Buying_online_vouchers_by_card_sells_the_codes_without_tax_and_emails_them()
    {
        var customer = await app.NewCustomerAsync();
        var (batchId, _) = await BatchAsync(new { name = Http.Unique("Wallet EUR 25"), kind = "Online", amount = "25", currency = "EUR", count = 5, expiresOn = Expiry() });

        var response = await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/vouchers/purchase",
            new { batchId, quantity = 2, acknowledged = true, card = new { number = GoodCard, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123", holder = "Test Buyer" } });

        var body = await response.JsonAsync();
        Assert.Equal("Succeeded", body.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(50m, body.GetProperty("order").GetProperty("total").GetMoney());
        Assert.Equal(0m, body.GetProperty("order").GetProperty("tax").GetMoney());
        var codes = body.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(2, codes.Count);
        var sold = await app.DbAsync(db => db.Vouchers.Where(v => v.BatchId == batchId && v.Status == VoucherStatus.Sold).ToListAsync());
        Assert.Equal(2, sold.Count);
        Assert.All(sold, v => Assert.Equal(customer.OrganizationId, v.SoldToOrganizationId));
        Assert.Equal(codes.Order(), sold.Select(v => VoucherCode.Format(v.Code)).Order());
        var order = await app.DbAsync(db => db.Orders.IgnoreQueryFilters().SingleAsync(o => o.Id == sold[0].OrderId));
        Assert.Equal(OrderType.Voucher, order.Type);

        var owner = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == customer.OwnerId).Select(m => m.Email).SingleAsync());
        var mail = await MailDev.WaitForAsync(owner, "voucher codes");
        Assert.All(codes, c => Assert.Contains(c, mail.Text, StringComparison.Ordinal));

        var listed = (await (await customer.Api.GetAsync($"/api/v1/organizations/{customer.OrganizationId}/vouchers")).JsonAsync()).GetProperty("items");
        Assert.Equal(2, listed.GetArrayLength());
        Assert.All(listed.EnumerateArray(), v => Assert.StartsWith("****-****-****-*", v.GetProperty("code").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Buying_more_vouchers_than_are_left_is_refused_before_anything_is_charged()
    {
        var customer = await app.NewCustomerAsync();
        var (batchId, _) = await BatchAsync(new { name = Http.Unique("Scarce"), kind = "Online", amount = "5", currency = "EUR", count = 1, expiresOn = Expiry() });
        var orders = await app.CountAsync<Order>();

        var problem = await (await customer.Api.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/vouchers/purchase",
            new { batchId, quantity = 2, acknowledged = true, card = new { number = GoodCard, expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 2, cvc = "123" } })).ProblemAsync(400);

        Assert.Contains("Only 1", problem.GetProperty("errors").GetProperty("quantity")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(orders, await app.CountAsync<Order>());
    }

    [Fact]
    public async Task Redeeming_a_value_voucher_credits_a_prepaid_wallet_once()
    {
        var customer = await app.NewCustomerAsync();
        var (_, codes) = await PrintEurAsync(12.50m);

        var response = await RedeemAsync(customer, VoucherCode.Format(codes[0]).ToLowerInvariant());

        var body = await response.JsonAsync();
        Assert.Equal(12.50m, body.GetProperty("walletBalance").GetMoney());
        Assert.Equal(12.50m, await BalanceAsync(customer.OrganizationId));
        var entry = await app.DbAsync(db => db.WalletEntries.IgnoreQueryFilters().SingleAsync(e => e.OrganizationId == customer.OrganizationId));
        Assert.Equal((WalletEntryKind.Voucher, 12.50m, $"voucher:{codes[0]}"), (entry.Kind, entry.Amount, entry.UniqueKey));
        var voucher = await app.DbAsync(db => db.Vouchers.SingleAsync(v => v.Code == codes[0]));
        Assert.Equal((VoucherStatus.Redeemed, customer.OrganizationId), (voucher.Status, voucher.RedeemedByOrganizationId!.Value));
    }

    [Fact]
    public async Task Redeeming_a_unit_voucher_adds_the_units_to_the_balance()
    {
        var customer = await app.NewCustomerAsync();
        var (_, codes) = await BatchAsync(new { name = Http.Unique("SMS 500"), kind = "Print", units = 500, meter = "sms", count = 2, expiresOn = Expiry() });

        (await RedeemAsync(customer, codes[0])).EnsureSuccessStatusCode();
        (await RedeemAsync(customer, codes[1])).EnsureSuccessStatusCode();

        var balance = await app.DbAsync(db => db.UnitBalances.IgnoreQueryFilters().SingleAsync(b => b.OrganizationId == customer.OrganizationId));
        Assert.Equal(1000L, balance.Balance);
        Assert.Equal(2, await app.DbAsync(db => db.UnitEntries.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == customer.OrganizationId && e.Kind == Domain.Usage.UnitEntryKind.Voucher)));
    }

    [Fact]
    public async Task Malformed_unknown_expired_and_used_codes_are_refused_and_credit_nothing()
    {
        var customer = await app.NewCustomerAsync();
        var (batchId, codes) = await PrintEurAsync();
        (await RedeemAsync(customer, codes[0])).EnsureSuccessStatusCode();
        var expired = await BatchAsync(new { name = Http.Unique("Old"), kind = "Print", amount = "5", currency = "EUR", count = 1, expiresOn = Expiry() });
        await app.DbAsync(db => db.VoucherBatches.Where(b => b.Id == expired.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.ExpiresOn, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2))));
        var entries = await EntriesAsync(customer.OrganizationId);

        foreach (var (code, says) in new[]
        {
            ("ABCD-1234", "not a valid code"),
            (VoucherCode.New(RandomNumberGenerator.GetBytes(VoucherCode.RandomBytes)), "not a valid code"),
            (expired.Codes[0], "expired"),
            (codes[0], "already used"),
        })
        {
            var problem = await (await RedeemAsync(customer, code)).ProblemAsync(400);
            Assert.Contains(says, problem.GetProperty("errors").GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(entries, await EntriesAsync(customer.OrganizationId));
        Assert.Equal(10m, await BalanceAsync(customer.OrganizationId));
        Assert.Equal(VoucherStatus.Available, await app.DbAsync(db => db.Vouchers.Where(v => v.Code == expired.Codes[0]).Select(v => v.Status).SingleAsync()));
        // Only the two codes that don't exist count toward the lock-out; expired and used codes exist.
        Assert.Equal(2, await app.DbAsync(db => db.VoucherAttempts.CountAsync(a => a.OrganizationId == customer.OrganizationId)));
    }

    [Fact]
    public async Task Retrying_a_used_code_never_locks_the_organization_out()
    {
        var customer = await app.NewCustomerAsync();
        var (_, codes) = await PrintEurAsync(5m, 2);
        (await RedeemAsync(customer, codes[0])).EnsureSuccessStatusCode();

        for (var i = 0; i < 8; i++)
            Assert.Equal("voucher_already_redeemed", (await (await RedeemAsync(customer, codes[0])).ProblemAsync(400)).GetProperty("code").GetString());
        var second = await RedeemAsync(customer, codes[1]);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(10m, await BalanceAsync(customer.OrganizationId));
        Assert.Equal(0, await app.DbAsync(db => db.VoucherAttempts.CountAsync(a => a.OrganizationId == customer.OrganizationId)));
    }

    [Fact]
    public async Task A_burst_of_fifteen_wrong_codes_at_once_checks_only_five()
    {
        var customer = await app.NewCustomerAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => app.ApiAsync(customer.OrganizationId, null)));

        var answers = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/vouchers/redeem",
            new { code = VoucherCode.New(RandomNumberGenerator.GetBytes(VoucherCode.RandomBytes)) })));

        // Each attempt is committed before it counts the others, so at most five are checked: exactly five when the
        // requests interleave as usual, fewer when many commit before any of them counts (a loaded machine).
        var checkedCodes = answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest);
        Assert.InRange(checkedCodes, 0, 5);
        Assert.Equal(15 - checkedCodes, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(checkedCodes, await app.DbAsync(db => db.VoucherAttempts.CountAsync(a => a.OrganizationId == customer.OrganizationId)));
    }

    [Fact]
    public async Task A_wallet_voucher_is_refused_for_a_postpaid_account()
    {
        var customer = await app.NewCustomerAsync();
        await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == customer.OrganizationId).ExecuteUpdateAsync(s => s.SetProperty(o => o.BillingMode, BillingMode.Postpaid)));
        var (_, codes) = await PrintEurAsync();

        var problem = await (await RedeemAsync(customer, codes[0])).ProblemAsync(409);

        Assert.Contains("prepaid", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(VoucherStatus.Available, await app.DbAsync(db => db.Vouchers.Where(v => v.Code == codes[0]).Select(v => v.Status).SingleAsync()));
        Assert.Equal(0, await EntriesAsync(customer.OrganizationId));
    }

    [Fact]
    public async Task Too_many_wrong_codes_are_answered_429_without_checking_the_code()
    {
        var customer = await app.NewCustomerAsync();
        var (_, codes) = await PrintEurAsync();
        for (var i = 0; i < 5; i++)
            await (await RedeemAsync(customer, VoucherCode.New(RandomNumberGenerator.GetBytes(VoucherCode.RandomBytes)))).ProblemAsync(400);

        var refused = await RedeemAsync(customer, codes[0]);
        var problem = await refused.ProblemAsync(429);

        Assert.Matches("Too many wrong codes; try again in 1[45] minutes", problem.GetProperty("detail").GetString());
        Assert.Equal(("rate_limited", "https://tools.ietf.org/html/rfc6585#section-4"), (problem.GetProperty("code").GetString(), problem.GetProperty("type").GetString()));
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 13 * 60, 15 * 60);
        Assert.Equal(retryAfter, problem.GetProperty("retryAfter").GetInt32());
        Assert.Equal(VoucherStatus.Available, await app.DbAsync(db => db.Vouchers.Where(v => v.Code == codes[0]).Select(v => v.Status).SingleAsync()));
        Assert.Equal(0, await EntriesAsync(customer.OrganizationId));
    }

    [Fact]
    public async Task Twenty_wrong_codes_from_one_address_over_several_organizations_lock_that_address_only()
    {
        // The client address is given as X-Forwarded-For (TestServer has none), as a trusted proxy would send it.
        var address = $"198.51.100.{Random.Shared.Next(1, 255)}";
        async Task<Customer> FromAsync(string ip, Customer? customer = null)
        {
            customer ??= await app.NewCustomerAsync();
            customer.Api.DefaultRequestHeaders.Remove("X-Forwarded-For");
            customer.Api.DefaultRequestHeaders.Add("X-Forwarded-For", ip);
            return customer;
        }
        static string Wrong() => VoucherCode.New(RandomNumberGenerator.GetBytes(VoucherCode.RandomBytes));
        var (_, codes) = await PrintEurAsync(10m, 1);

        // Four organizations, five wrong codes each: within every organization's limit, and 20 from the address.
        var four = new List<Customer>();
        for (var i = 0; i < 4; i++) four.Add(await FromAsync(address));
        foreach (var customer in four)
            for (var i = 0; i < 5; i++)
                Assert.Equal("voucher_code_unknown", (await (await RedeemAsync(customer, Wrong())).ProblemAsync(400)).GetProperty("code").GetString());

        // A fifth organization, with no wrong code of its own, is refused from that address, even a good code.
        var fifth = await FromAsync(address);
        var refused = await RedeemAsync(fifth, codes[0]);
        var problem = await refused.ProblemAsync(429);
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Matches("Too many wrong codes; try again in 1[45] minutes", problem.GetProperty("detail").GetString());
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 13 * 60, 15 * 60);
        Assert.Equal(VoucherStatus.Available, await app.DbAsync(db => db.Vouchers.Where(v => v.Code == codes[0]).Select(v => v.Status).SingleAsync()));
        Assert.Equal(0, await EntriesAsync(fifth.OrganizationId));
        Assert.Equal(20, await app.DbAsync(db => db.VoucherAttempts.CountAsync(a => a.Ip == address)));
        Assert.Equal(0, await app.DbAsync(db => db.VoucherAttempts.CountAsync(a => a.OrganizationId == fifth.OrganizationId)));

        // The fifth organization from another address is served: a wrong code is told so, the good one credits.
        var elsewhere = await FromAsync($"203.0.113.{Random.Shared.Next(1, 255)}", fifth);
        Assert.Equal("voucher_code_unknown", (await (await RedeemAsync(elsewhere, Wrong())).ProblemAsync(400)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(elsewhere, codes[0])).StatusCode);
        Assert.Equal(10m, await BalanceAsync(fifth.OrganizationId));
        foreach (var customer in four) Assert.Equal(0, await EntriesAsync(customer.OrganizationId));
    }

    [Fact]
    public async Task The_same_code_redeemed_by_64_requests_at_once_credits_once()
    {
        var customer = await app.NewCustomerAsync();
        var (_, codes) = await PrintEurAsync(25m, 1);
        var clients = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => app.ApiAsync(customer.OrganizationId, null)));

        var answers = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync($"/api/v1/organizations/{customer.OrganizationId}/vouchers/redeem", new { code = codes[0] })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests }));
        Assert.Equal(1, await EntriesAsync(customer.OrganizationId));
        Assert.Equal(25m, await BalanceAsync(customer.OrganizationId));
    }
}

public sealed class VoucherTestsOnSqlite(SqliteApp app) : VoucherTests(app), IClassFixture<SqliteApp>;

public sealed class VoucherTestsOnPostgres(PostgresApp app) : VoucherTests(app), IClassFixture<PostgresApp>;
