using Accrue.Domain.Subscriptions;
using Accrue.Web.Data;
using Accrue.Web.Features.Renewals;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Checkout;

/// <summary>Set-up shared by the checkout tests (issue 15, section B): only arranging data; what pages and the API do is asserted over HTTP.</summary>
public static class CheckoutSteps
{
    /// <summary>Gives a member (the Owner, say) of a test organization a password, so the test can sign in as them.</summary>
    public static async Task SetPasswordAsync(this AccrueApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        if (!await users.HasPasswordAsync(user)) Assert.True((await users.AddPasswordAsync(user, People.Password)).Succeeded);
    }

    /// <summary>Today in <paramref name="zone"/> on the test's clock, worked out here rather than by the app.</summary>
    public static DateOnly TodayIn(this TimeProvider clock, string zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);

    public static Task<Subscription> OnlySubscriptionAsync(this AccrueApp app, Guid organizationId) =>
        app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters().AsNoTracking().Include(s => s.Items).SingleAsync(s => s.OrganizationId == organizationId));

    public static async Task RemindAsync(this AccrueApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        await scope.ServiceProvider.GetRequiredService<RenewalReminders>().RunAsync(CancellationToken.None);
    }
}
