using System.Net;
using Accrue.Web.Tests.Infrastructure;

namespace Accrue.Web.Tests.Api;

/// <summary>Issue 6 §4: rate limits per API key, answered with 429, Retry-After and a problem body.</summary>
public abstract class RateLimitTests(AccrueApp app)
{
    public static readonly IReadOnlyDictionary<string, string?> LowLimit = new Dictionary<string, string?>
    {
        ["RateLimits:PermitsPerMinute"] = "2",
        ["RateLimits:Burst"] = "3",
    };

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_while_other_keys_carry_on()
    {
        var noisy = await app.OperatorApiAsync();
        var quiet = await app.OperatorApiAsync();

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await noisy.GetAsync("/api/v1/organizations?limit=1")).StatusCode);
        var refused = await noisy.GetAsync("/api/v1/organizations?limit=1");

        var problem = await refused.ProblemAsync(429);
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        // Two permits a minute: one comes back every 30 s.
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 30);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/v1/organizations?limit=1")).StatusCode);
    }

    [Fact]
    public async Task A_refused_request_changes_nothing()
    {
        var api = await app.OperatorApiAsync();
        for (var i = 0; i < 3; i++) await api.GetAsync("/api/v1/organizations?limit=1");
        var organizations = await app.CountAsync<Domain.Accounts.Organization>();

        var refused = await api.PostAsync("/api/v1/organizations", System.Net.Http.Json.JsonContent.Create(ApiKeysForTests.NewOrganization()));

        await refused.ProblemAsync(429);
        Assert.Equal(organizations, await app.CountAsync<Domain.Accounts.Organization>());
    }
}

public sealed class RateLimitedSqliteApp : SqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => RateLimitTests.LowLimit;
}

public sealed class RateLimitedPostgresApp : PostgresApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => RateLimitTests.LowLimit;
}

public sealed class RateLimitTestsOnSqlite(RateLimitedSqliteApp app) : RateLimitTests(app), IClassFixture<RateLimitedSqliteApp>;

public sealed class RateLimitTestsOnPostgres(RateLimitedPostgresApp app) : RateLimitTests(app), IClassFixture<RateLimitedPostgresApp>;
