using System.Data.Common;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Support;
using Accrue.Domain.Wallets;
using Accrue.Web.Data;
using Accrue.Web.Features.Members;
using Accrue.Web.Features.Organizations;
using Accrue.Web.Features.Support;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Console;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Accounts;

/// <summary>
/// Issue 15 B23 and seed 001 "Delete": a closed account is deleted behind the close blockers; its members'
/// personal data is gone from every table, its invoices and credit notes stay, the audit trail says who deleted it;
/// before that, the Owner and staff download its data.
/// </summary>
public abstract class AccountDeletionTests(AccrueApp app)
{
    /// <summary>An account with everything personal the product keeps: two people, a phone, a sign-in, a ticket with an attachment, a card, an API key, a bill and a credit note.</summary>
    private sealed record Account(Guid Id, string OwnerName, string OwnerEmail, string MemberName, string MemberEmail, string Phone,
        string Subject, string Body, string FileName, Guid BillId, HttpClient Owner, HttpClient Member);

    private async Task<Account> NewAccountAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var (ownerName, ownerEmail) = ($"Olivia Deletable{tag}", $"owner-{tag}@deletable.test");
        var (memberName, memberEmail, phone) = ($"Marek Erasable{tag}", $"member-{tag}@deletable.test", $"+44 7700 {Random.Shared.Next(1000000, 9999999)}");
        var (id, memberId) = await AsSystemAsync(async services =>
        {
            var created = await services.GetRequiredService<OrganizationCommands>().CreateAsync(new OrganizationInput
            {
                Name = $"Deletable Ltd {tag}", BillingAddress = new Address { Line1 = $"{tag} Private Lane", City = "Berlin" },
                Country = "DE", Currency = "EUR", TimeZone = Bills.BillSteps.Zone, BillingMode = BillingMode.Postpaid,
            }, new NewOwnerInput(ownerName, ownerEmail));
            Assert.True(created.Succeeded, created.Failure?.ToString());
            var added = await services.GetRequiredService<MemberCommands>().AddAsync(created.Value!.Id, new MemberInput
            {
                Name = memberName, Email = memberEmail, Phone = phone, PortalAccess = true, Role = MemberRole.Member,
            });
            Assert.True(added.Succeeded, added.Failure?.ToString());
            var users = services.GetRequiredService<UserManager<User>>();
            foreach (var email in new[] { ownerEmail, memberEmail })
                Assert.True((await users.AddPasswordAsync((await users.FindByEmailAsync(email))!, People.Password)).Succeeded);
            return (created.Value.Id, added.Value!.Id);
        });

        var owner = await app.SignedInAsync(ownerEmail, People.Password);
        var profile = await owner.SubmitFormAsync("/portal/settings", new Dictionary<string, string> { ["Profile.Name"] = ownerName, ["Profile.Phone"] = phone.Replace("7700", "7711", StringComparison.Ordinal) }, "main form.profile-form");
        Assert.Equal(HttpStatusCode.Redirect, profile.StatusCode);
        var member = await app.SignedInAsync(memberEmail, People.Password);

        var (subject, body, fileName) = ($"Router {tag} is broken", $"My flat {tag} has no signal since Monday.", $"trace-{tag}.log");
        var userId = await app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == memberId).Select(m => m.UserId).SingleAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(new Actor(ActorKind.Member, userId, memberName, id, MemberId: memberId));
            var typeId = await scope.ServiceProvider.GetRequiredService<AccrueDb>().TicketTypes.Where(t => t.Name == "General issue").Select(t => t.Id).SingleAsync();
            var raised = await scope.ServiceProvider.GetRequiredService<TicketCommands>()
                .RaiseAsync(id, new NewTicket(typeId, subject, body), [new Upload(fileName, "line 1\nline 2\n"u8.ToArray())]);
            Assert.True(raised.Succeeded, raised.Failure?.ToString());
        }

        var (_, bill) = await app.BillAsync(id);
        var operatorApi = await app.OperatorApiAsync();
        var credited = await operatorApi.PostAsJsonAsync($"/api/v1/invoices/{bill.Id}/credit-notes", new { lines = new[] { 0 }, reason = "Goodwill" });
        Assert.Equal(HttpStatusCode.Created, credited.StatusCode);
        await app.SettleAsync(bill.Id);
        await app.SaveCardAsync(id, CommerceApi.GoodCard);
        await app.ApiAsync(id, null);
        return new Account(id, ownerName, ownerEmail, memberName, memberEmail, phone, subject, body, fileName, bill.Id, owner, member);
    }

    private async Task CloseAsync(Guid id)
    {
        var closed = await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{id}/close", new { reason = "Contract ended" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }

    private Task<Organization> OrganizationAsync(Guid id) =>
        app.DbAsync(db => db.Organizations.IgnoreQueryFilters().AsNoTracking().SingleAsync(o => o.Id == id));

    private Task<List<string>> InvoicesAsync(Guid id) =>
        app.DbAsync(async db => (await db.Invoices.IgnoreQueryFilters().AsNoTracking().Where(i => i.OrganizationId == id).OrderBy(i => i.Number).ToListAsync())
            .Select(i => $"{i.Kind} {i.Number} {i.Status} {i.IssuedOn} {i.BillingName} | {i.BillingAddress} | {i.Subtotal} {i.Tax} {i.Total} {i.Currency} {JsonSerializer.Serialize(i.Lines)}").ToList());

    private async Task<T> AsSystemAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        return await work(scope.ServiceProvider);
    }

    /// <summary>Every text value of every row of every table the context maps, with where it was found.</summary>
    private Task<List<string>> EveryTextAsync() => app.DbAsync(async db =>
    {
        var tables = db.Model.GetEntityTypes().Select(t => t.GetTableName()).Where(t => t is not null).Distinct().ToList();
        Assert.Contains("AspNetUsers", tables);
        Assert.Contains("AuditEntries", tables);
        var texts = new List<string>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using DbDataReader reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    for (var i = 0; i < reader.FieldCount; i++)
                        if (!reader.IsDBNull(i) && reader.GetValue(i) is string text)
                            texts.Add($"{table}.{reader.GetName(i)}: {text}");
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
        return texts;
    });

    [Fact]
    public async Task Deleting_is_refused_unless_closed_and_without_blockers_and_nothing_is_written()
    {
        var account = await NewAccountAsync();
        var (api, partner, own) = (await app.OperatorApiAsync(), await app.PartnerApiAsync(), await app.ApiAsync(account.Id, null));
        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var url = $"/api/v1/organizations/{account.Id}/delete";
        Task<int> AuditsAsync() => app.DbAsync(db => db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == account.Id));
        var audits = await AuditsAsync();

        var active = await (await api.PostAsJsonAsync(url, new { reason = "Customer left" })).ProblemAsync(409);
        Assert.Equal("organization_not_closed", active.GetProperty("code").GetString());
        Assert.Equal(audits, await AuditsAsync());

        await CloseAsync(account.Id);
        await app.PostWalletAsync(account.Id, WalletEntryKind.TopUp, 12.5m);
        var bill = await app.OpenBillAsync(account.Id, 40m);
        audits = await AuditsAsync();
        var blocked = await (await api.PostAsJsonAsync(url, new { reason = "Customer left" })).ProblemAsync(409);
        Assert.Equal("organization_has_blockers", blocked.GetProperty("code").GetString());
        Assert.Equal(["Withdraw the remaining wallet balance of EUR 12.50", $"Settle 1 open bill: {bill.Number} (EUR 40.00)"],
            blocked.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()).ToList());

        var status = $"/console/organizations/{account.Id}/status";
        Assert.NotNull((await staff.GetPageAsync(status)).QuerySelector("#delete-organization[data-confirm]"));
        var form = await staff.PostFormAsync($"{status}?handler=delete", new Dictionary<string, string> { ["Reason"] = "Customer left" }, status);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var page = Http.Parse(await form.Content.ReadAsStringAsync());
        Assert.Equal(2, page.QuerySelectorAll("#blockers li").Length);
        Assert.Contains("can't be deleted yet", page.QuerySelector("#blockers")!.TextContent, StringComparison.Ordinal);

        Assert.Contains("reason", (await (await api.PostAsJsonAsync(url, new { reason = " " })).ProblemAsync(400)).ErrorKeys());
        await (await partner.PostAsJsonAsync(url, new { reason = "Nope" })).ProblemAsync(403);
        await (await own.PostAsJsonAsync(url, new { reason = "Self" })).ProblemAsync(409);
        await (await api.PostAsJsonAsync($"/api/v1/organizations/{Guid.NewGuid()}/delete", new { reason = "Nobody" })).ProblemAsync(404);

        Assert.Equal(OrganizationStatus.Closed, (await OrganizationAsync(account.Id)).Status);
        Assert.Equal(audits, await AuditsAsync());
        Assert.Equal(2, await app.DbAsync(db => db.Members.IgnoreQueryFilters().CountAsync(m => m.OrganizationId == account.Id && (m.Email == account.OwnerEmail || m.Email == account.MemberEmail))));
        Assert.Contains(await EveryTextAsync(), t => t.Contains(account.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_deleting_nothing_personal_remains_in_any_table_while_invoices_and_the_audit_trail_stay()
    {
        var account = await NewAccountAsync();
        var texts = await EveryTextAsync();
        var personal = new[]
        {
            account.OwnerName, account.OwnerEmail, account.MemberName, account.MemberEmail, account.Phone[4..],
            account.Phone.Replace("7700", "7711", StringComparison.Ordinal)[4..], account.Subject, account.Body, account.FileName,
        };
        // The scan must see each value before it can vouch for its absence after.
        foreach (var value in personal) Assert.Contains(texts, t => t.Contains(value, StringComparison.OrdinalIgnoreCase));
        await CloseAsync(account.Id);
        var invoices = await InvoicesAsync(account.Id);
        Assert.Equal(2, invoices.Count);

        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var status = $"/console/organizations/{account.Id}/status";
        var deleted = await staff.PostFormAsync($"{status}?handler=delete", new Dictionary<string, string> { ["Reason"] = "Asked to be forgotten" }, status);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);

        var left = (await EveryTextAsync()).Where(t => personal.Any(p => t.Contains(p, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(left.Count == 0, "Personal data left:\n" + string.Join("\n", left));
        Assert.Equal(invoices, await InvoicesAsync(account.Id));

        var organization = await OrganizationAsync(account.Id);
        Assert.Equal((OrganizationStatus.Deleted, "Asked to be forgotten"), (organization.Status, organization.StatusReason));
        Assert.Null(organization.BillingAddress.Line1);
        await app.DbAsync(async db =>
        {
            Assert.Equal(0, await db.CardsOnFile.IgnoreQueryFilters().CountAsync(c => c.OrganizationId == account.Id));
            Assert.Equal(0, await db.ApiKeys.IgnoreQueryFilters().CountAsync(k => k.OrganizationId == account.Id));
            Assert.Equal(0, await db.TicketAttachments.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == account.Id));
            Assert.Equal(0, await db.Outbox.CountAsync(m => m.OrganizationId == account.Id));
            var members = await db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == account.Id).ToListAsync();
            Assert.Equal(2, members.Count);
            Assert.All(members, m => Assert.Equal((AccountDeletion.DeletedName, AccountDeletion.PlaceholderEmail(m.Id), null, false), (m.Name, m.Email, m.Phone, m.PortalAccess)));
            var users = await db.Users.Where(u => u.OrganizationId == account.Id).ToListAsync();
            Assert.All(users, u => Assert.Equal((AccountDeletion.DeletedName, null, null), (u.DisplayName, u.PasswordHash, u.PhoneNumber)));
            Assert.Equal(0, await db.UserSessions.CountAsync(s => users.Select(u => u.Id).Contains(s.UserId)));
            var ticket = await db.Tickets.IgnoreQueryFilters().Include(t => t.Messages).SingleAsync(t => t.OrganizationId == account.Id);
            Assert.Equal((AccountDeletion.DeletedText, AccountDeletion.DeletedName), (ticket.Subject, ticket.RaisedByName));
            Assert.All(ticket.Messages, m => Assert.Equal(AccountDeletion.DeletedText, m.Body));

            var entry = await db.AuditEntries.IgnoreQueryFilters().SingleAsync(a => a.OrganizationId == account.Id && a.Action == "Organization.Deleted");
            var operatorId = await db.Users.Where(u => u.Email == ConsoleSteps.Operator).Select(u => u.Id).SingleAsync();
            Assert.Equal((operatorId, "Dana Operator"), (entry.ActorUserId, entry.ActorName));
            Assert.Contains("Asked to be forgotten", entry.After, StringComparison.Ordinal);
            // The older trail is still there, only without the members' data.
            Assert.True(await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == account.Id && a.Action == "Member.Created") >= 2);
            return 0;
        });
        // Nothing reactivates a deleted account.
        var again = await (await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{account.Id}/reactivate", new { reason = "Oops" })).ProblemAsync(409);
        Assert.Contains("deleted", again.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var twice = await (await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{account.Id}/delete", new { reason = "Again" })).ProblemAsync(409);
        Assert.Equal("organization_not_closed", twice.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Deleted_members_cannot_sign_in_and_their_sessions_end()
    {
        var account = await NewAccountAsync();
        await CloseAsync(account.Id);
        var deleted = await (await app.OperatorApiAsync()).PostAsJsonAsync($"/api/v1/organizations/{account.Id}/delete", new { reason = "Contract ended" });
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("Deleted", (await deleted.JsonAsync()).GetProperty("status").GetString());

        foreach (var email in new[] { account.OwnerEmail, account.MemberEmail })
        {
            var signIn = await app.Browser().SubmitFormAsync("/account/signin", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = People.Password });
            Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        foreach (var client in new[] { account.Owner, account.Member })
        {
            var portal = await client.GetAsync("/portal");
            Assert.Equal(HttpStatusCode.Redirect, portal.StatusCode);
            Assert.Contains("/account/signin", portal.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_owner_and_staff_download_the_data_as_json_with_every_invoice_pdf_and_nobody_else_does()
    {
        var account = await NewAccountAsync();
        var numbers = await app.DbAsync(db => db.Invoices.IgnoreQueryFilters().Where(i => i.OrganizationId == account.Id).OrderBy(i => i.Number).Select(i => i.Number).ToListAsync());
        var bill = await app.InvoiceAsync(account.BillId);

        var download = await account.Owner.GetAsync("/portal/settings/export.zip");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using (var zip = new ZipArchive(await download.Content.ReadAsStreamAsync()))
        {
            Assert.Equal(numbers.Select(AccountExport.PdfEntry).Order(), zip.Entries.Where(e => e.FullName.EndsWith(".pdf", StringComparison.Ordinal)).Select(e => e.FullName).Order());
            foreach (var pdf in zip.Entries.Where(e => e.FullName.EndsWith(".pdf", StringComparison.Ordinal)))
            {
                using var stream = pdf.Open();
                var head = new byte[5];
                stream.ReadExactly(head);
                Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(head));
            }
            using var json = JsonDocument.Parse(zip.GetEntry("organization.json")!.Open());
            var root = json.RootElement;
            Assert.Equal(account.Id, root.GetProperty("organization").GetProperty("id").GetGuid());
            Assert.Equal(new[] { account.OwnerEmail, account.MemberEmail }.Order(), root.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("email").GetString()).Order());
            var invoice = root.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("number").GetString() == bill.Number);
            Assert.Equal((JsonValueKind.String, bill.Total), (invoice.GetProperty("total").ValueKind, decimal.Parse(invoice.GetProperty("total").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(["CreditNote", "Invoice"], root.GetProperty("invoices").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).Order());
            Assert.Single(root.GetProperty("orders").EnumerateArray());
            Assert.Single(root.GetProperty("subscriptions").EnumerateArray());
            var ticket = Assert.Single(root.GetProperty("tickets").EnumerateArray());
            Assert.Equal(account.Subject, ticket.GetProperty("ticket").GetProperty("subject").GetString());
            Assert.Equal(account.Body, ticket.GetProperty("messages")[0].GetProperty("body").GetString());
        }

        var member = await account.Member.GetAsync("/portal/settings/export.zip");
        Assert.True(member.StatusCode is HttpStatusCode.Forbidden || member.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true,
            $"a plain member got {(int)member.StatusCode}");
        Assert.Null((await account.Member.GetPageAsync("/portal/settings")).QuerySelector("#export-link"));
        Assert.NotNull((await account.Owner.GetPageAsync("/portal/settings")).QuerySelector("#export-link"));

        var staff = await app.SignedInAsync(ConsoleSteps.Operator);
        var console = await staff.GetAsync($"/console/organizations/{account.Id}/export.zip");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        using (var zip = new ZipArchive(await console.Content.ReadAsStreamAsync()))
            Assert.Equal(numbers.Count, zip.Entries.Count(e => e.FullName.StartsWith("invoices/", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/console/organizations/{Guid.NewGuid()}/export.zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignedInAsync(ConsoleSteps.PartnerStaff)).GetAsync($"/console/organizations/{account.Id}/export.zip")).StatusCode);

        var api = await (await app.OperatorApiAsync()).GetAsync($"/api/v1/organizations/{account.Id}/export");
        Assert.Equal((HttpStatusCode.OK, "application/zip"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
        await (await (await app.ApiAsync(account.Id, null)).GetAsync($"/api/v1/organizations/{account.Id}/export")).ProblemAsync(403);
        await (await (await app.OperatorApiAsync()).GetAsync($"/api/v1/organizations/{Guid.NewGuid()}/export")).ProblemAsync(404);
    }
}

public sealed class AccountDeletionOnSqlite(SqliteApp app) : AccountDeletionTests(app), IClassFixture<SqliteApp>;

public sealed class AccountDeletionOnPostgres(PostgresApp app) : AccountDeletionTests(app), IClassFixture<PostgresApp>;
