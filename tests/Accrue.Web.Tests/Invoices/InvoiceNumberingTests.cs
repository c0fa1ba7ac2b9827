using System.Net;
using Accrue.Domain.Invoices;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Orders;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Invoices;

public abstract class InvoiceNumberingTests(AccrueApp app)
{
    [Fact]
    public async Task A_new_prefix_applies_to_the_next_invoice_and_the_numbers_run_on_without_a_gap()
    {
        var first = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        var staff = await app.SignedInAsync("admin@demo-telecom.test");

        var saved = await staff.SubmitFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["InvoicePrefix"] = "DT/2026-", ["CreditNotePrefix"] = "DT-CN-",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var next = await InvoiceOfAsync((await app.PaidSeatsOrderAsync()).Id);
        Assert.Equal(first.Sequence + 1, next.Sequence);
        Assert.Equal($"DT/2026-{next.Sequence:D6}", next.Number);
    }

    [Theory]
    [InlineData("", "CN-", "Invoice prefix is required.")]
    [InlineData("INV 2026", "CN-", "Invoice prefix may hold letters, digits, '-', '_' and '/'.")]
    [InlineData("SAME-", "SAME-", "Credit notes need a prefix of their own, so their numbers never meet invoice numbers.")]
    public async Task A_bad_prefix_is_refused_and_nothing_changes(string invoicePrefix, string creditNotePrefix, string error)
    {
        var before = await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => new { o.InvoicePrefix, o.CreditNotePrefix }).SingleAsync());
        var staff = await app.SignedInAsync("admin@demo-telecom.test");

        var response = await staff.SubmitFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["InvoicePrefix"] = invoicePrefix, ["CreditNotePrefix"] = creditNotePrefix,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, Http.Parse(await response.Content.ReadAsStringAsync()).Errors());
        Assert.Equal(before, await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => new { o.InvoicePrefix, o.CreditNotePrefix }).SingleAsync()));
    }

    [Fact]
    public async Task Partner_staff_cannot_change_the_numbering()
    {
        var before = await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => o.InvoicePrefix).SingleAsync());
        var partner = await app.SignedInAsync("staff@northwind.test");

        var page = await partner.GetPageAsync("/console/invoices/numbering");
        Assert.Contains("Only operator staff change invoice numbering.", page.Body!.TextContent);
        var response = await partner.PostFormAsync("/console/invoices/numbering", new Dictionary<string, string>
        {
            ["InvoicePrefix"] = "XX-", ["CreditNotePrefix"] = "YY-",
        }, "/console/invoices/numbering");

        // Forbid() on a console page sends the cookie user to the access-denied page.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await app.DbAsync(db => db.Operators.AsNoTracking().Select(o => o.InvoicePrefix).SingleAsync()));
    }

    private Task<Invoice> InvoiceOfAsync(Guid orderId) =>
        app.DbAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == orderId && i.Kind == InvoiceKind.Invoice));
}

public sealed class InvoiceNumberingTestsOnSqlite(SqliteApp app) : InvoiceNumberingTests(app), IClassFixture<SqliteApp>;

public sealed class InvoiceNumberingTestsOnPostgres(PostgresApp app) : InvoiceNumberingTests(app), IClassFixture<PostgresApp>;
