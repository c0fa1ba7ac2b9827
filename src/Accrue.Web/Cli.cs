using Accrue.Web.Data;
using Accrue.Web.Features.Demo;

namespace Accrue.Web;

/// <summary>
/// Admin commands through the same host: <c>dotnet run --project src/Accrue.Web -- migrate</c>,
/// <c>-- seed-demo</c>, <c>-- stripe-check</c> (docs/payments.md), <c>-- bill --as-of 2027-01-01</c> (docs/billing-run.md). Returns false when the arguments name no command, so the web app starts.
/// </summary>
public static class Cli
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('='));
        if (command is null) return false;

        if (command == "stripe-check")
        {
            Environment.ExitCode = await Infrastructure.Payments.StripeCheck.RunAsync(app.Configuration, app.Services.GetRequiredService<ILoggerFactory>());
            return true;
        }
        if (command == "bill")
        {
            Environment.ExitCode = await Features.Renewals.BillCommandLine.RunAsync(app);
            return true;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        switch (command)
        {
            case "migrate":
                await db.MigrateAsync();
                Console.WriteLine($"Database migrated ({db.Database.ProviderName}).");
                return true;
            case "seed-demo":
                await db.MigrateAsync();
                Console.WriteLine(await DemoData.SeedAsync(scope.ServiceProvider) ? "Demo data seeded." : "The database already has data; nothing seeded.");
                return true;
            default:
                Console.Error.WriteLine($"Unknown command '{command}'. Commands: migrate, seed-demo, stripe-check, bill.");
                Environment.ExitCode = 2;
                return true;
        }
    }

    /// <summary>SQLite is migrated and seeded at start-up; PostgreSQL only when Database:MigrateOnStart is set.</summary>
    public static async Task PrepareDatabaseAsync(WebApplication app)
    {
        var options = app.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new();
        if (options.IsPostgres && !options.MigrateOnStart) return;
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccrueDb>().MigrateAsync();
        if (app.Configuration.GetValue("Demo:Seed", true)) await DemoData.SeedAsync(scope.ServiceProvider);
    }

    public static void PrintWelcome(WebApplication app)
    {
        if (!app.Configuration.GetValue("Demo:Seed", true)) return;
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine();
        Console.WriteLine($"  Accrue is running at {url}");
        Console.WriteLine($"  Console: {url}/console   Portal: {url}/portal   API reference: {url}/api-reference");
        Console.WriteLine($"  Demo sign-ins (password for all: {DemoData.Password}):");
        foreach (var (who, email) in DemoData.SignIns) Console.WriteLine($"    {email,-26} {who}");
        Console.WriteLine();
    }
}
