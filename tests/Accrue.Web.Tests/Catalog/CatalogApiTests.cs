using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Billing;
using Accrue.Domain.Catalog;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Catalog;

public abstract class CatalogApiTests(AccrueApp app)
{
    private async Task<Guid> ProductIdAsync(HttpClient api, string kind = "Service")
    {
        var response = await api.PostAsJsonAsync("/api/v1/products", new { code = Http.Unique("prod"), name = "Api Product", kind });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task An_operator_key_creates_a_product_and_a_plan_with_seat_types_and_prices()
    {
        var api = await app.OperatorApiAsync();
        var code = Http.Unique("sms");
        var response = await api.PostAsJsonAsync("/api/v1/products", new { code, name = "SMS pack", kind = "UnitPack", meter = "SMS", unitsPerPack = 1000 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var productId = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var product = await app.DbAsync(db => db.Products.SingleAsync(p => p.Id == productId));
        Assert.Equal((ProductKind.UnitPack, "SMS", 1000), (product.Kind, product.Meter, product.UnitsPerPack));

        var planCode = Http.Unique("office");
        response = await api.PostAsJsonAsync("/api/v1/plans", new
        {
            productId = await ProductIdAsync(api), code = planCode, name = "Office", period = "Year", model = "PerSeat", trialDays = 0,
            cancellationRule = "AtPeriodEnd", minimumTermMonths = 12,
            seatTypes = new[] { new { code = "basic", name = "Basic", modules = new[] { "Mail" }, sortOrder = 0 }, new { code = "pro", name = "Pro", modules = new[] { "Mail", "Files" }, sortOrder = 1 } },
            prices = new[] { new { currency = "GBP", amount = "100", seatPrices = new Dictionary<string, string> { ["basic"] = "80", ["pro"] = "150" } } },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var planId = created.GetProperty("id").GetGuid();
        Assert.Equal(1, created.GetProperty("currentVersion").GetProperty("number").GetInt32());
        Assert.Equal(150m, created.GetProperty("currentVersion").GetProperty("prices")[0].GetProperty("seatPrices").GetProperty("pro").GetMoney());

        var plan = await app.DbAsync(db => db.Plans.Include(p => p.SeatTypes).SingleAsync(p => p.Id == planId));
        Assert.Equal((BillingPeriod.Year, PricingModel.PerSeat, 12), (plan.Period, plan.Model, plan.MinimumTermMonths));
        Assert.Equal(["basic", "pro"], plan.SeatTypes.OrderBy(s => s.SortOrder).Select(s => s.Code));
        var v1 = await app.DbAsync(db => db.PlanVersions.SingleAsync(v => v.Id == plan.CurrentVersionId));
        Assert.Equal(80m, v1.PriceIn("GBP")!.SeatPrice(plan.SeatTypes.Single(s => s.Code == "basic").Id));

        response = await api.PostAsJsonAsync($"/api/v1/plans/{planId}/prices", new { prices = new[] { new { currency = "GBP", amount = "110" } } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, (await response.JsonAsync()).GetProperty("currentVersion").GetProperty("number").GetInt32());
        var amounts = await app.DbAsync(db => db.PlanVersions.Where(v => v.PlanId == planId).OrderBy(v => v.Number).ToListAsync());
        Assert.Equal([100m, 110m], amounts.Select(v => v.PriceIn("GBP")!.Amount));

        response = await api.PutAsJsonAsync($"/api/v1/plans/{planId}", new
        {
            productId = plan.ProductId, code = planCode, name = "Office Renamed", period = "Year", model = "PerSeat", cancellationRule = "Immediately",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Office Renamed", await app.DbAsync(db => db.Plans.Where(p => p.Id == planId).Select(p => p.Name).SingleAsync()));
    }

    [Fact]
    public async Task Plans_are_listed_with_current_prices_and_seat_types_a_page_at_a_time()
    {
        var api = await app.OrganizationApiAsync();
        var first = await (await api.GetAsync("/api/v1/plans?limit=2")).JsonAsync();
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);

        var all = await (await api.GetAsync("/api/v1/plans?limit=200")).JsonAsync();
        var standard = all.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("code").GetString() == "erp-standard");
        Assert.Equal(["finance", "operations", "mobile", "full"], standard.GetProperty("seatTypes").EnumerateArray().Select(s => s.GetProperty("code").GetString()));
        var usd = standard.GetProperty("currentVersion").GetProperty("prices").EnumerateArray().Single(p => p.GetProperty("currency").GetString() == "USD");
        Assert.Equal(30m, usd.GetProperty("seatPrices").GetProperty("full").GetMoney());

        var second = await (await api.GetAsync($"/api/v1/plans?limit=2&cursor={cursor}")).JsonAsync();
        Assert.DoesNotContain(second.GetProperty("items")[0].GetProperty("id").GetGuid(), first.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));

        var one = await (await api.GetAsync($"/api/v1/plans/{standard.GetProperty("id").GetGuid()}")).JsonAsync();
        Assert.Equal("ERP Standard", one.GetProperty("name").GetString());
        var products = await (await api.GetAsync("/api/v1/products")).JsonAsync();
        Assert.Contains(products.GetProperty("items").EnumerateArray(), p => p.GetProperty("code").GetString() == "erp");
    }

    [Fact]
    public async Task Organization_and_partner_keys_may_read_but_not_write_the_catalog()
    {
        var organization = await app.OrganizationApiAsync();
        var partner = await app.PartnerApiAsync();
        var products = await app.CountAsync<Product>();
        var versions = await app.CountAsync<PlanVersion>();
        var rates = await app.CountAsync<TaxRate>();
        var planId = await app.DbAsync(db => db.Plans.Where(p => p.Code == "erp-standard").Select(p => p.Id).SingleAsync());

        Assert.Equal(HttpStatusCode.OK, (await organization.GetAsync("/api/v1/tax-rates")).StatusCode);
        foreach (var api in new[] { organization, partner })
        {
            await (await api.PostAsJsonAsync("/api/v1/products", new { code = Http.Unique("x"), name = "X", kind = "Service" })).ProblemAsync(403);
            await (await api.PostAsJsonAsync($"/api/v1/plans/{planId}/prices", new { prices = new[] { new { currency = "USD", amount = "1" } } })).ProblemAsync(403);
            await (await api.PutAsJsonAsync("/api/v1/tax-rates/DE", new { name = "VAT", ratePercent = "1" })).ProblemAsync(403);
        }

        Assert.Equal(products, await app.CountAsync<Product>());
        Assert.Equal(versions, await app.CountAsync<PlanVersion>());
        Assert.Equal(rates, await app.CountAsync<TaxRate>());
        Assert.Equal(0.19m, await app.DbAsync(db => db.TaxRates.Where(t => t.Country == "DE").Select(t => t.Rate).SingleAsync()));
    }

    [Fact]
    public async Task Bad_catalog_input_gets_field_errors_and_writes_nothing()
    {
        var api = await app.OperatorApiAsync();
        var products = await app.CountAsync<Product>();
        var plans = await app.CountAsync<Plan>();
        var versions = await app.CountAsync<PlanVersion>();
        var rates = await app.CountAsync<TaxRate>();

        var problem = await (await api.PostAsJsonAsync("/api/v1/products", new { code = Http.Unique("pack"), name = "Pack", kind = "UnitPack" })).ProblemAsync(400);
        Assert.Equal(["meter", "unitsPerPack"], problem.ErrorKeys().Order());
        problem = await (await api.PostAsJsonAsync("/api/v1/products", new { code = "erp", name = "Dup", kind = "Service" })).ProblemAsync(400);
        Assert.Equal(["code"], problem.ErrorKeys());
        products++;
        var productId = await ProductIdAsync(api);

        problem = await (await api.PostAsJsonAsync("/api/v1/plans", new
        {
            productId, code = Http.Unique("tiers"), name = "Tiered", model = "Tiered",
            prices = new object[]
            {
                new { currency = "EUR", amount = "0", tiers = new[] { new { upTo = (int?)10, unitPrice = "2" }, new { upTo = (int?)5, unitPrice = "1" }, new { upTo = (int?)null, unitPrice = "0.5" } } },
                new { currency = "XYZ", amount = "-1", tiers = new[] { new { upTo = (int?)null, unitPrice = "1" } } },
            },
        })).ProblemAsync(400);
        Assert.Equal(["prices[0].tiers", "prices[1].amount", "prices[1].currency"], problem.ErrorKeys().Order());
        Assert.Contains("Tier limits must rise from one tier to the next.", problem.GetProperty("errors").GetProperty("prices[0].tiers").EnumerateArray().Select(e => e.GetString()));

        problem = await (await api.PostAsJsonAsync("/api/v1/plans", new { productId, code = "erp-standard", name = "Dup", model = "Flat" })).ProblemAsync(400);
        Assert.Equal(["code"], problem.ErrorKeys());

        var planId = await app.DbAsync(db => db.Plans.Where(p => p.Code == "reporting-monthly").Select(p => p.Id).SingleAsync());
        problem = await (await api.PostAsJsonAsync($"/api/v1/plans/{planId}/prices", new { prices = new[] { new { currency = "USD", amount = "-3" } } })).ProblemAsync(400);
        Assert.Equal(["prices[0].amount"], problem.ErrorKeys());
        problem = await (await api.PostAsJsonAsync($"/api/v1/plans/{planId}/prices", new { prices = Array.Empty<object>() })).ProblemAsync(400);
        Assert.Equal(["prices"], problem.ErrorKeys());

        problem = await (await api.PutAsJsonAsync("/api/v1/tax-rates/FR", new { name = "TVA", ratePercent = "150" })).ProblemAsync(400);
        Assert.Equal(["ratePercent"], problem.ErrorKeys());
        problem = await (await api.PutAsJsonAsync("/api/v1/tax-rates/QQ", new { name = "VAT", ratePercent = "10" })).ProblemAsync(400);
        Assert.Equal(["country"], problem.ErrorKeys());

        Assert.Equal(products, await app.CountAsync<Product>());
        Assert.Equal(plans, await app.CountAsync<Plan>());
        Assert.Equal(versions, await app.CountAsync<PlanVersion>());
        Assert.Equal(rates, await app.CountAsync<TaxRate>());
    }

    [Fact]
    public async Task Tax_rates_are_set_in_percent_and_stored_as_fractions()
    {
        var api = await app.OperatorApiAsync();
        var response = await api.PutAsJsonAsync("/api/v1/tax-rates/fr", new { name = "TVA", ratePercent = "20" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0.2m, await app.DbAsync(db => db.TaxRates.Where(t => t.Country == "FR").Select(t => t.Rate).SingleAsync()));
        response = await api.PutAsJsonAsync("/api/v1/tax-rates/FR", new { name = "TVA", ratePercent = "5.5" });
        Assert.Equal(5.5m, (await response.JsonAsync()).GetProperty("ratePercent").GetMoney());
        Assert.Equal(1, await app.DbAsync(db => db.TaxRates.CountAsync(t => t.Country == "FR")));

        var list = (await (await api.GetAsync("/api/v1/tax-rates")).JsonAsync()).GetProperty("items");
        var france = list.EnumerateArray().Single(r => r.GetProperty("country").GetString() == "FR");
        Assert.Equal(("France", 0.055m), (france.GetProperty("countryName").GetString(), france.GetProperty("rate").GetMoney()));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/v1/tax-rates/FR")).StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.TaxRates.CountAsync(t => t.Country == "FR")));
    }
}

public sealed class CatalogApiOnSqlite(SqliteApp app) : CatalogApiTests(app), IClassFixture<SqliteApp>;

public sealed class CatalogApiOnPostgres(PostgresApp app) : CatalogApiTests(app), IClassFixture<PostgresApp>;
