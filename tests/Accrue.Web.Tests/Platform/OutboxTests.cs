using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Platform;

public abstract class OutboxTests(AccrueApp app)
{
    private async Task QueueAsync(string to, bool commit)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<Mailer>().QueueAsync(EmailTemplates.OwnershipTransferred, to, null, new Dictionary<string, string>
        {
            ["Name"] = "Ola <b>", ["Organization"] = "Acme & Co", ["PreviousOwner"] = "Olivia",
        });
        await db.SaveChangesAsync();
        if (commit) await transaction.CommitAsync();
    }

    [Fact]
    public async Task A_committed_message_is_delivered_by_smtp_with_values_filled_in()
    {
        var to = $"{Http.Unique("outbox")}@example.test";
        await QueueAsync(to, commit: true);

        var message = await MailDev.WaitForAsync(to, "You are now the owner of Acme & Co");
        Assert.Contains("Hello Ola <b>,", message.Text);
        Assert.Contains("Ola &lt;b&gt;", message.Html);
        await WaitUntilAsync(async () => (await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.To == to))).Status == OutboxStatus.Sent);
    }

    [Fact]
    public async Task A_message_of_a_rolled_back_change_is_never_written_nor_sent()
    {
        var to = $"{Http.Unique("rollback")}@example.test";
        await QueueAsync(to, commit: false);

        Assert.Equal(0, await app.DbAsync(db => db.Outbox.CountAsync(m => m.To == to)));
        await Task.Delay(800);
        Assert.Empty(await MailDev.ToAsync(to));
    }

    [Fact]
    public async Task Every_write_is_audited_with_its_actor_and_stamped()
    {
        var name = Http.Unique("Audited Ltd");
        var id = await app.DbAsync(async db =>
        {
            var partner = new Accrue.Domain.Accounts.Partner { Name = name };
            db.Partners.Add(partner);
            await db.SaveChangesAsync();
            partner.Name = name + " renamed";
            await db.SaveChangesAsync();
            return partner.Id;
        });

        var entries = await app.DbAsync(db => db.AuditEntries.Where(a => a.EntityId == id.ToString()).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["Partner.Created", "Partner.Updated"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("system", e.ActorName));
        Assert.Contains(name + " renamed", entries[1].After);
        Assert.Contains($"\"{name}\"", entries[1].Before);
        var partner = await app.DbAsync(db => db.Partners.SingleAsync(p => p.Id == id));
        Assert.Equal("system", partner.CreatedBy);
        Assert.True(partner.UpdatedAt >= partner.CreatedAt && partner.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 75; i++)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        Assert.Fail("The condition did not hold within 15 s.");
    }
}

public sealed class OutboxOnSqlite(SqliteApp app) : OutboxTests(app), IClassFixture<SqliteApp>;

public sealed class OutboxOnPostgres(PostgresApp app) : OutboxTests(app), IClassFixture<PostgresApp>;

/// <summary>The embedded default: no SMTP server configured.</summary>
public sealed class SqliteAppWithoutSmtp : SqliteApp
{
    public string Pickup { get; } = Path.Combine(Path.GetTempPath(), "accrue-tests", Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "",
        ["Email:PickupDirectory"] = Pickup,
    };
}

public sealed class OutboxWithoutSmtpTests(SqliteAppWithoutSmtp app) : IClassFixture<SqliteAppWithoutSmtp>
{
    [Fact]
    public async Task Without_smtp_messages_are_written_as_eml_files_and_stay_listed_in_the_outbox()
    {
        var to = $"{Http.Unique("eml")}@example.test";
        await app.DbAsync(async db =>
        {
            db.Outbox.Add(new OutboxMessage { Template = "test", To = to, Subject = "Hello file", TextBody = "Body text", HtmlBody = "<p>Body</p>", CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        OutboxMessage? row = null;
        await OutboxTests.WaitUntilAsync(async () => (row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.To == to))).Status == OutboxStatus.WrittenToFile);
        Assert.StartsWith(app.Pickup, row!.FilePath);
        var eml = await File.ReadAllTextAsync(row.FilePath!);
        Assert.Contains("Subject: Hello file", eml);
        Assert.Contains(to, eml);
    }
}

/// <summary>An SMTP server that refuses connections: sending fails and is retried later.</summary>
public sealed class SqliteAppWithBrokenSmtp : SqliteApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = "1",
    };
}

public sealed class OutboxRetryTests(SqliteAppWithBrokenSmtp app) : IClassFixture<SqliteAppWithBrokenSmtp>
{
    [Fact]
    public async Task A_failed_send_is_kept_pending_with_its_error_and_retried_later()
    {
        var to = $"{Http.Unique("retry")}@example.test";
        var before = DateTimeOffset.UtcNow;
        await app.DbAsync(async db =>
        {
            db.Outbox.Add(new OutboxMessage { Template = "test", To = to, Subject = "Retry me", TextBody = "x", HtmlBody = "x", CreatedAt = before, NextAttemptAt = before });
            return await db.SaveChangesAsync();
        });

        OutboxMessage? row = null;
        await OutboxTests.WaitUntilAsync(async () => (row = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.To == to))).Attempts >= 1);
        Assert.Equal(OutboxStatus.Pending, row!.Status);
        Assert.False(string.IsNullOrEmpty(row.LastError));
        Assert.True(row.NextAttemptAt > before.AddSeconds(10));
        Assert.Null(row.SentAt);
    }
}
