using System.Text.RegularExpressions;
using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>Issue 15 C25: seat fields start empty (typing "2" gives 2, not 20) and the total shows while typing.</summary>
public sealed partial class SeatFieldJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Theory]
    [InlineData(1366, 768)]
    [InlineData(1920, 1080)]
    [InlineData(390, 844)]
    public Task Seat_fields_start_empty_and_the_running_total_matches_the_quote(int width, int height) => JourneyAsync(async () =>
    {
        var subscriptionId = await Site.Server.DbAsync(async db =>
        {
            var acme = await db.Organizations.SingleAsync(o => o.Name == "Acme Prepaid Ltd");
            var plan = await db.Plans.SingleAsync(p => p.Code == "erp-standard");
            return (await db.Subscriptions.SingleAsync(s => s.OrganizationId == acme.Id && s.PlanId == plan.Id && s.Status == SubscriptionStatus.Active)).Id;
        });
        var owner = await OpenAsync(new ViewportSize { Width = width, Height = height });
        await SignInAsync(owner, "owner@acme.test", DemoPassword);
        await owner.GotoAsync($"/portal/subscriptions/{subscriptionId}/add-seats");

        var finance = owner.GetByLabel("Finance seats to add");
        var counts = owner.Locator("input.seat-count");
        foreach (var count in await counts.AllAsync())
        {
            await Expect(count).ToHaveValueAsync("");
            await Expect(count).ToHaveAttributeAsync("placeholder", "0");
        }
        var runningTotal = owner.Locator(".running-total");
        await Expect(runningTotal).ToBeHiddenAsync();

        // Typed as a person types, key by key: the field holds exactly "2".
        await finance.ClickAsync();
        await finance.PressSequentiallyAsync("2");
        await Expect(finance).ToHaveValueAsync("2");
        await Expect(runningTotal).ToBeVisibleAsync();
        var amount = owner.Locator(".running-total-amount");
        await Expect(amount).ToHaveTextAsync(AnAmount());
        var forTwo = await amount.InnerTextAsync();

        await finance.FillAsync("3");
        await Expect(amount).Not.ToHaveTextAsync(forTwo);
        await Expect(amount).ToHaveTextAsync(AnAmount());
        await finance.FillAsync("2");
        await Expect(amount).ToHaveTextAsync(forTwo);
        await SaveScreenshotAsync(owner, $"add-seats-running-total-{width}x{height}");

        // The running total is the quote's own total.
        await owner.GetByRole(AriaRole.Button, new() { Name = "Review quote" }).ClickAsync();
        await Expect(owner.Locator(".quote-total")).ToHaveTextAsync(forTwo);

        // Emptying every field again is "no seats chosen": the field error, not a binding error about ''.
        await owner.GotoAsync($"/portal/subscriptions/{subscriptionId}/add-seats?Review=true");
        await Expect(owner.Locator(".quote-total")).ToHaveCountAsync(0);
        await Expect(owner.GetByText("is invalid")).ToHaveCountAsync(0);
        AssertNoBrowserErrors();
    });

    [GeneratedRegex(@"^[A-Z]{3} \d[\d,]*(\.\d{2})?$")]
    private static partial Regex AnAmount();
}
