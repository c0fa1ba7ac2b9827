using Accrue.Domain.Support;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Platform;

/// <summary>Issue 15 C31: the seeded demo shows every feature.</summary>
public abstract class DemoDataTests(AccrueApp app)
{
    [Fact]
    public async Task The_demo_catalog_has_an_sla_pdf_a_downgrade_target_and_a_minimum_term()
    {
        var plans = await app.DbAsync(db => db.Plans.IgnoreQueryFilters().AsNoTracking().ToListAsync());
        var premium = plans.Single(p => p.Code == "erp-premium");
        var standard = plans.Single(p => p.Code == "erp-standard");

        var sla = await app.DbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Id == premium.SlaDocumentId));
        Assert.Equal("application/pdf", sla.ContentType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(sla.Content[..5]), StringComparison.Ordinal);
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(sla.Content))
        {
            Assert.Equal(1, pdf.NumberOfPages);
            // Drawn in the embedded font, the text reads back (Skia's default typeface has no glyphs on a bare server).
            var text = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("ERP Premium (priority support) – service level agreement", text, StringComparison.Ordinal);
            Assert.Contains("Priority support: first response within 1 hour, 24/7.", text, StringComparison.Ordinal);
        }

        // Premium seats cost more than Standard's (base USD 30 vs 20), and Premium offers Standard as its change target.
        Assert.Contains(standard.Id, premium.ChangeTargetIds);
        Assert.Equal(12, plans.Single(p => p.Code == "tv-max").MinimumTermMonths);
    }

    [Fact]
    public async Task The_partners_customer_has_a_ticket_that_the_partners_staff_handle_and_see()
    {
        var initech = await app.OrganizationIdAsync("Initech Pty");
        var ticket = await app.DbAsync(db => db.Tickets.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.OrganizationId == initech));
        var pat = await app.DbAsync(db => db.Users.SingleAsync(u => u.Email == ConsoleSteps.PartnerStaff));
        Assert.Equal(pat.Id, ticket.AssigneeUserId);
        Assert.Equal(TicketStatus.InProgress, ticket.Status);

        var partner = await app.SignedInAsync(ConsoleSteps.PartnerStaff);
        var page = await partner.GetPageAsync($"/console/support/{ticket.Id}");
        Assert.Contains("Intercom app logs residents out", page.Body!.TextContent);
    }

    [Fact]
    public async Task The_demo_faq_has_published_articles_in_every_category()
    {
        var articles = await app.DbAsync(db => db.FaqArticles.AsNoTracking().Where(a => a.PublishedAt != null).Select(a => new { a.CategoryId, a.Title }).ToListAsync());
        Assert.True(articles.Count >= 9, $"Expected at least 9 published articles, found {articles.Count}.");
        Assert.Equal(3, articles.Select(a => a.CategoryId).Distinct().Count());
        Assert.Contains(articles, a => a.Title == "What is a minimum term?");
    }
}

public sealed class DemoDataTestsOnSqlite(SqliteApp app) : DemoDataTests(app), IClassFixture<SqliteApp>;

public sealed class DemoDataTestsOnPostgres(PostgresApp app) : DemoDataTests(app), IClassFixture<PostgresApp>;
