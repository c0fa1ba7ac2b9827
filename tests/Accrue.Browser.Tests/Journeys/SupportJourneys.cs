using System.Text.RegularExpressions;
using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

/// <summary>Seed 004, issue 5 journey (a): a member raises a ticket with a screenshot, the team is alerted, staff answer, the member reads it.</summary>
public sealed partial class SupportJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Member_raises_a_ticket_with_an_attachment_staff_reply_and_the_member_sees_the_reply() => JourneyAsync(async () =>
    {
        var subject = Unique("Router offline");
        var member = await OpenAsync();
        await SignInAsync(member, "member@acme.test", DemoPassword);
        await NavigateAsync(member, "Support");
        await Expect(member).ToHaveURLAsync(PathIs("/portal/support"));
        await member.GetByRole(AriaRole.Link, new() { Name = "Raise a ticket" }).ClickAsync();
        await member.GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "General issue — Any other question or request." });
        await member.GetByLabel("Subject").FillAsync(subject);
        await member.GetByLabel("Description").FillAsync("The router in room 4 lost its connection.\nThe screenshot shows the error.");
        await member.GetByLabel("Attachments").SetInputFilesAsync(new FilePayload { Name = "router.png", MimeType = "image/png", Buffer = Png() });
        await member.GetByRole(AriaRole.Button, new() { Name = "Raise ticket" }).ClickAsync();

        await Expect(member).ToHaveURLAsync(TicketPage());
        var ticketId = Guid.Parse(TicketPage().Match(member.Url).Groups["id"].Value);
        await Expect(member.Locator("h1")).ToContainTextAsync(subject);
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "router.png" })).ToBeVisibleAsync();
        var attachment = await Site.Server.DbAsync(db => db.TicketAttachments.Where(a => a.TicketId == ticketId).Select(a => new { a.ContentType, a.Size }).SingleAsync());
        Assert.Equal(("image/png", (long)Png().Length), (attachment.ContentType, attachment.Size));

        // General issue belongs to Customer Care: its mailbox and its staff are alerted.
        var alert = await MailDev.WaitForAsync("care@demo-telecom.test", subject);
        Assert.Contains("The router in room 4 lost its connection.", alert.Text, StringComparison.Ordinal);
        await MailDev.WaitForAsync("support@demo-telecom.test", subject);

        const string answer = "We reset your line remotely. Please restart the router and tell us if it comes back.";
        await StaffReplyAsync(ticketId, answer);

        var email = await MailDev.WaitForAsync("member@acme.test", subject);
        Assert.Contains(answer, email.Text, StringComparison.Ordinal);
        await member.GotoAsync(new Uri(email.Link("/portal/support")).PathAndQuery);
        await Expect(member.Locator(".support-message-staff")).ToContainTextAsync(answer);
        await Expect(member.Locator(".ticket-status")).ToHaveTextAsync("Awaiting customer");
        Assert.Equal(TicketStatus.AwaitingCustomer, await Site.Server.DbAsync(db => db.Tickets.Where(t => t.Id == ticketId).Select(t => t.Status).SingleAsync()));
        AssertNoBrowserErrors();
    });

    /// <summary>Staff answer from the console's ticket page, in their own browser context.</summary>
    private async Task StaffReplyAsync(Guid ticketId, string body)
    {
        var staff = await OpenAsync();
        await SignInAsync(staff, "admin@demo-telecom.test", DemoPassword);
        await staff.GotoAsync($"/console/support/{ticketId}");
        await staff.Locator("textarea[name='Body']").FillAsync(body);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(staff.Locator(".support-message-staff").Last).ToContainTextAsync(body);
    }

    /// <summary>A 1×1 transparent PNG.</summary>
    private static byte[] Png() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    [GeneratedRegex(@"/portal/support/(?<id>[0-9a-f-]{36})$")]
    private static partial Regex TicketPage();
}
