using System.Text.RegularExpressions;
using Accrue.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

public sealed partial class OnboardingJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task Operator_creates_an_organization_adds_a_member_and_the_member_accepts_the_invitation() => JourneyAsync(async () =>
    {
        var organizationName = $"Fika {Unique("AB")}";
        var ownerEmail = $"{Unique("owner")}@fika.test";
        var memberEmail = $"{Unique("member")}@fika.test";
        const string memberPassword = "Fika-member-2026";

        var staff = await OpenAsync();
        await SignInAsync(staff, "admin@demo-telecom.test", DemoPassword);
        await Expect(staff).ToHaveURLAsync(PathStartsWith("/console"));

        await staff.GotoAsync("/console/organizations");
        await staff.GetByRole(AriaRole.Link, new() { Name = "Create organization" })
            .Or(staff.GetByRole(AriaRole.Button, new() { Name = "Create organization" })).First.ClickAsync();
        await Expect(Field(staff, "Input.Name")).ToBeVisibleAsync();
        await SetAsync(staff, "Input.Name", organizationName);
        await SetAsync(staff, "Input.Country", "SE");
        await SetAsync(staff, "Input.Currency", "SEK");
        await SetAsync(staff, "Input.TimeZone", "Europe/Stockholm");
        await SetAsync(staff, "Input.BillingMode", "Prepaid");
        await SetAsync(staff, "OwnerName", "Olle Owner");
        await SetAsync(staff, "OwnerEmail", ownerEmail);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Create organization" }).ClickAsync();

        await Expect(staff).ToHaveURLAsync(OrganizationPage());
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = organizationName })).ToBeVisibleAsync();
        var organizationId = OrganizationPage().Match(staff.Url).Groups["id"].Value;
        await MailDev.WaitForAsync(ownerEmail);

        await staff.GotoAsync($"/console/organizations/{organizationId}/members/new");
        await SetAsync(staff, "Input.Name", "Maja Member");
        await SetAsync(staff, "Input.Email", memberEmail);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(staff.GetByText(memberEmail).First).ToBeVisibleAsync();

        // The member, at their own browser, follows the invitation.
        var invitation = await MailDev.WaitForAsync(memberEmail);
        var link = new Uri(invitation.Link("/account/invitation"));
        var member = await OpenAsync();
        await member.GotoAsync(link.PathAndQuery);
        await Field(member, "Input.Password").FillAsync(memberPassword);
        await Field(member, "Input.ConfirmPassword").FillAsync(memberPassword);
        await member.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Expect(member).Not.ToHaveURLAsync(PathStartsWith("/account/invitation"));

        // Whether accepting signs them straight in or sends them to sign in, they end up in the portal.
        await member.GotoAsync("/portal");
        if (PathStartsWith("/account/signin").IsMatch(member.Url)) await FillSignInAsync(member, memberEmail, memberPassword);
        await Expect(member).ToHaveURLAsync(PathIs("/portal"));
        await Expect(Heading(member, organizationName)).ToBeVisibleAsync();
        AssertNoBrowserErrors();
    });

    [GeneratedRegex(@"/console/organizations/(?<id>[0-9a-fA-F-]{36})(?:[/?#].*)?$")]
    private static partial Regex OrganizationPage();
}
