using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Invoices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>Seed 004, postpaid: the Owner of Globex pays an outstanding bill from the Bills tab.</summary>
public sealed class BillJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Owner_of_a_postpaid_organization_pays_an_outstanding_bill_by_card_and_sees_it_paid() => JourneyAsync(async () =>
    {
        var bill = await Site.Server.DbAsync(db => db.Invoices
            .Where(i => i.Status == InvoiceStatus.Open && db.Organizations.Any(o => o.Id == i.OrganizationId && o.Name == "Globex Postpaid GmbH"))
            .OrderBy(i => i.Sequence).Select(i => new { i.Id, i.Number }).FirstAsync());

        var owner = await OpenAsync();
        await SignInAsync(owner, "owner@globex.test", DemoPassword);
        await NavigateAsync(owner, "Bills");
        await Expect(owner).ToHaveURLAsync(PathIs("/portal/bills"));
        await owner.GetByLabel($"Pay {bill.Number}").CheckAsync();
        await FillCardAsync(owner, "4242 4242 4242 4242", "Greta Owner");
        await owner.GetByLabel("I am authorized to purchase on behalf of my organization").CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Pay selected bills" }).ClickAsync();

        await Expect(owner.GetByText($"Paid {bill.Number}")).ToBeVisibleAsync();
        await Expect(owner.Locator($".invoices-table tr[data-invoice='{bill.Number}']")).ToContainTextAsync("Paid");
        Assert.Equal(InvoiceStatus.Paid, await Site.Server.DbAsync(db => db.Invoices.Where(i => i.Id == bill.Id).Select(i => i.Status).SingleAsync()));
        AssertNoBrowserErrors();
    });
}
