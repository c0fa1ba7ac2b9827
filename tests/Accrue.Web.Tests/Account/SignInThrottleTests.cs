using System.Net;
using Accrue.Web.Features.Demo;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Account;

/// <summary>Sign-in limited to 3 attempts per account per minute.</summary>
public sealed class ThrottledSqliteApp : SqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:SignInPerAccountPerMinute"] = "3",
    };
}

public sealed class SignInThrottleTests(ThrottledSqliteApp app) : IClassFixture<ThrottledSqliteApp>
{
    [Fact]
    public async Task Attempts_past_the_per_account_limit_get_429_and_touch_nothing()
    {
        var client = app.Browser();
        async Task<HttpResponseMessage> AttemptAsync(string email) => await client.SubmitFormAsync("/account/signin", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = "wrong-password",
        });

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await AttemptAsync("admin@globex.test")).StatusCode);
        var throttled = await AttemptAsync("admin@globex.test");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("Too many sign-in attempts", Http.Parse(await throttled.Content.ReadAsStringAsync()).Errors().Single());
        Assert.Equal(3, await app.DbAsync(db => db.SignInAttempts.CountAsync(a => a.Account == "admin@globex.test")));
        // Another account is not held back by this one's attempts.
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitFormAsync("/account/signin", new Dictionary<string, string>
        {
            ["Input.Email"] = "member@globex.test", ["Input.Password"] = DemoData.Password,
        })).StatusCode);
    }
}
