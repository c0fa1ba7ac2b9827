using System.Net;
using Accrue.Web.Tests.Infrastructure;

namespace Accrue.Web.Tests.Platform;

/// <summary>PostgreSQL configured at an address where nothing listens.</summary>
public sealed class UnreachableDatabaseApp : AccrueApp
{
    public override string Provider => "Postgres";
    public override string ConnectionString => "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:MigrateOnStart"] = "false",
    };
}

public sealed class HealthTests(UnreachableDatabaseApp app) : IClassFixture<UnreachableDatabaseApp>
{
    [Fact]
    public async Task Healthz_answers_503_when_the_database_does_not_answer()
    {
        var response = await app.Browser().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("unhealthy", await response.Content.ReadAsStringAsync());
    }
}
