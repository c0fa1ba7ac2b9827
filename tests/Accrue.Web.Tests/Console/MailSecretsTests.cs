using System.Net;
using System.Net.Http.Json;
using Accrue.Web.Data;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Accrue.Web.Tests.Platform;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Accrue.Web.Tests.Console;

/// <summary>
/// Issue 15 A1: a single-use link (here a password reset asked for anonymously) is never readable by staff or
/// API keys through the mail log or /api/v1/mail-outbox, whether the mail went out by SMTP or to an .eml file;
/// its recipient still uses it, read from the real SMTP server or from the file.
/// </summary>
public abstract class MailSecretsTests(AccrueApp app)
{
    protected abstract Task<string> RecipientTextAsync(OutboxMessage message);

    [Fact]
    public async Task A_reset_link_is_hidden_from_partner_and_operator_keys_and_console_pages_and_still_works_for_its_recipient()
    {
        // A member of Initech, the partner's customer: partner staff and partner keys see its mail.
        var person = await app.NewMemberAsync(ApiKeysForTests.Initech);
        var asked = await app.Browser().SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = person.Email });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);

        OutboxMessage? message = null;
        await OutboxTests.WaitUntilAsync(async () =>
            (message = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleOrDefaultAsync(m => m.To == person.Email && m.Template == "password-reset")))
            is { Status: OutboxStatus.Sent or OutboxStatus.WrittenToFile });
        var link = MailDev.LinkIn(message!.TextBody, "/account/reset-password");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)["token"]!;
        Assert.True(token.Length > 20);
        // Every spelling of the token a page or a JSON body could carry.
        string[] secrets = [link, token, Uri.EscapeDataString(token), WebUtility.HtmlEncode(token), "token="];

        foreach (var key in new[] { await app.PartnerApiAsync(), await app.OperatorApiAsync() })
        {
            var list = await key.GetAsync($"/api/v1/mail-outbox?to={Uri.EscapeDataString(person.Email)}");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var listed = await list.Content.ReadAsStringAsync();
            Assert.Contains(message.Id.ToString(), listed, StringComparison.Ordinal);
            AssertHides(secrets, listed);

            var detail = await key.GetAsync($"/api/v1/mail-outbox/{message.Id}");
            Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
            var body = await detail.Content.ReadAsStringAsync();
            AssertHides(secrets, body);
            var text = (await detail.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("textBody").GetString()!;
            Assert.Contains("[single-use link hidden: only the recipient can open it]", text, StringComparison.Ordinal);
            Assert.Contains("reset the password", text, StringComparison.Ordinal);
        }

        foreach (var staff in new[] { ConsoleSteps.PartnerStaff, ConsoleSteps.Operator })
        {
            var console = await app.SignedInAsync(staff);
            var list = await console.GetAsync($"/console/mail?to={Uri.EscapeDataString(person.Email)}");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var listed = await list.Content.ReadAsStringAsync();
            Assert.Contains($"/console/mail/{message.Id}", listed, StringComparison.Ordinal);
            AssertHides(secrets, listed);

            var detail = await console.GetAsync($"/console/mail/{message.Id}");
            Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
            var page = await detail.Content.ReadAsStringAsync();
            AssertHides(secrets, page);
            Assert.Contains("[single-use link hidden: only the recipient can open it]", Http.Parse(page).QuerySelector("pre.mail-body")?.TextContent);
        }

        // The recipient's copy carries the live link, and it works once.
        var received = MailDev.LinkIn(await RecipientTextAsync(message), "/account/reset-password");
        Assert.Equal(link, received);
        var client = app.Browser();
        var reset = await client.SubmitFormAsync(new Uri(received).PathAndQuery, new Dictionary<string, string>
        {
            ["Input.Password"] = "Recipient-only-1", ["Input.ConfirmPassword"] = "Recipient-only-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        await app.SignedInAsync(person.Email, "Recipient-only-1");
    }

    [Fact]
    public async Task Invitation_links_and_bought_voucher_codes_are_hidden_in_the_log_but_kept_for_sending()
    {
        var operatorKey = await app.OperatorApiAsync();
        var email = $"{Http.Unique("invited")}@api.test";
        var created = await operatorKey.PostAsJsonAsync("/api/v1/organizations", ApiKeysForTests.NewOrganization(ownerEmail: email));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var invitation = await app.DbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.To == email));
        var link = MailDev.LinkIn(invitation.TextBody, "/account/invitation");

        var body = await (await operatorKey.GetAsync($"/api/v1/mail-outbox/{invitation.Id}")).Content.ReadAsStringAsync();
        AssertHides([link, "token="], body);
        Assert.Contains("[single-use link hidden", invitation.LogTextBody, StringComparison.Ordinal);

        // A message queued before the log copy existed (no LogTextBody) still has its token links hidden.
        var legacy = new OutboxMessage
        {
            Template = "password-reset", To = $"{Http.Unique("legacy")}@example.test", Subject = "Reset",
            TextBody = $"Choose a new password: {link}\n\nBye", HtmlBody = "<p>x</p>", CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow,
        };
        await app.DbAsync(async db => { db.Outbox.Add(legacy); return await db.SaveChangesAsync(); });
        var legacyBody = await (await operatorKey.GetAsync($"/api/v1/mail-outbox/{legacy.Id}")).Content.ReadAsStringAsync();
        AssertHides([link, "token="], legacyBody);
        Assert.Contains("Choose a new password: [single-use link hidden", legacyBody, StringComparison.Ordinal);
    }

    private static void AssertHides(IEnumerable<string> secrets, string answer)
    {
        foreach (var secret in secrets)
            Assert.False(answer.Contains(secret, StringComparison.Ordinal), $"The answer shows '{secret}':\n{answer[..Math.Min(answer.Length, 3000)]}");
    }
}

public sealed class MailSecretsBySmtpOnSqlite(SqliteApp app) : MailSecretsTests(app), IClassFixture<SqliteApp>
{
    protected override async Task<string> RecipientTextAsync(OutboxMessage message) => (await MailDev.WaitForAsync(message.To, "Reset your", TimeSpan.FromSeconds(60))).Text;
}

public sealed class MailSecretsBySmtpOnPostgres(PostgresApp app) : MailSecretsTests(app), IClassFixture<PostgresApp>
{
    protected override async Task<string> RecipientTextAsync(OutboxMessage message) => (await MailDev.WaitForAsync(message.To, "Reset your", TimeSpan.FromSeconds(60))).Text;
}

public sealed class MailSecretsInFilesOnSqlite(SqliteAppWithoutSmtp app) : MailSecretsTests(app), IClassFixture<SqliteAppWithoutSmtp>
{
    protected override Task<string> RecipientTextAsync(OutboxMessage message) => MailFiles.TextAsync(message, app.Pickup);
}

public sealed class MailSecretsInFilesOnPostgres(PostgresAppWithoutSmtp app) : MailSecretsTests(app), IClassFixture<PostgresAppWithoutSmtp>
{
    protected override Task<string> RecipientTextAsync(OutboxMessage message) => MailFiles.TextAsync(message, app.Pickup);
}

/// <summary>PostgreSQL with no SMTP server configured: mail goes to .eml files, as on a developer's machine.</summary>
public sealed class PostgresAppWithoutSmtp : PostgresApp
{
    public string Pickup { get; } = Path.Combine(Path.GetTempPath(), "accrue-tests", Guid.NewGuid().ToString("N"));

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "",
        ["Email:PickupDirectory"] = Pickup,
    };
}

public static class MailFiles
{
    /// <summary>The text part of the .eml file the dispatcher wrote for <paramref name="message"/>.</summary>
    public static async Task<string> TextAsync(OutboxMessage message, string pickup)
    {
        Assert.Equal(OutboxStatus.WrittenToFile, message.Status);
        Assert.StartsWith(pickup, message.FilePath, StringComparison.Ordinal);
        using var mime = await MimeMessage.LoadAsync(message.FilePath!);
        return mime.TextBody ?? "";
    }
}
