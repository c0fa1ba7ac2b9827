using Accrue.Browser.Tests.Infrastructure;
using Accrue.Domain.Accounts;
using Accrue.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Accrue.Browser.Tests.Journeys;

public sealed class PasswordResetJourneys(BrowserSite site, ITestOutputHelper output) : BrowserTest(site, output)
{
    [Fact]
    public Task A_member_who_forgot_their_password_resets_it_by_email_and_signs_in() => JourneyAsync(async () =>
    {
        var email = $"{Unique("forgetful")}@acme.test";
        await AddAcmeMemberAsync(email, DemoPassword);
        const string newPassword = "Brand-new-pass-2026";

        var page = await OpenAsync();
        await page.GotoAsync("/account/signin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(PathStartsWith("/account/forgot-password"));
        await Field(page, "Input.Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }).ClickAsync();
        await Expect(page.GetByText(email).Or(page.Locator(".alert")).First).ToBeVisibleAsync();

        var message = await MailDev.WaitForAsync(email);
        var link = new Uri(message.Link("/account/reset-password"));
        await page.GotoAsync(link.PathAndQuery);
        await Field(page, "Input.Password").FillAsync(newPassword);
        await Field(page, "Input.ConfirmPassword").FillAsync(newPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(PathStartsWith("/account/signin"));
        await Expect(page.Locator(".alert").First).ToBeVisibleAsync();

        await FillSignInAsync(page, email, DemoPassword);
        await Expect(page).ToHaveURLAsync(PathStartsWith("/account/signin"));

        await FillSignInAsync(page, email, newPassword);
        await Expect(page).ToHaveURLAsync(PathIs("/portal"));
        await Expect(Heading(page, "Acme Prepaid Ltd")).ToBeVisibleAsync();
        AssertNoBrowserErrors();
    });

    /// <summary>A member of the demo Acme organization with a known password, as the demo seed makes them.</summary>
    private Task<Guid> AddAcmeMemberAsync(string email, string password) => Site.Server.AsSystemAsync(async services =>
    {
        var db = services.GetRequiredService<AccrueDb>();
        var acme = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Name == "Acme Prepaid Ltd");
        var user = new User
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Fran Forgetful", Kind = UserKind.Member,
            OrganizationId = acme.Id, CreatedAt = DateTimeOffset.UtcNow,
        };
        var created = await services.GetRequiredService<UserManager<User>>().CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        db.Members.Add(new Member { OrganizationId = acme.Id, UserId = user.Id, Name = user.DisplayName, Email = email, PermissionSetId = PermissionSet.StandardId });
        await db.SaveChangesAsync();
        return acme.Id;
    });
}
