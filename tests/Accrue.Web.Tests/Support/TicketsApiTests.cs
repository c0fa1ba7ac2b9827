using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Support;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Support;

/// <summary>/api/v1/…/tickets: the customer's side with its organization's key, the queue with staff keys; same rules as the portal.</summary>
public abstract class TicketsApiTests(AccrueApp app)
{
    [Fact]
    public async Task An_attachment_is_stored_and_served_under_the_extension_of_its_detected_type()
    {
        var desk = await app.NewDeskAsync();
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var api = await app.OrganizationApiAsync();

        var raised = await api.RaiseByApiAsync(acme, desk.TypeId, Http.Unique("Disguised"), ("x.png.html", SupportSteps.Png(64)));

        var id = raised.GetProperty("ticket").GetProperty("id").GetGuid();
        var attachment = raised.GetProperty("messages")[0].GetProperty("attachments")[0];
        Assert.Equal("x.png", attachment.GetProperty("fileName").GetString());
        var attachmentId = attachment.GetProperty("id").GetGuid();
        Assert.Equal("x.png", await app.DbAsync(db => db.TicketAttachments.IgnoreQueryFilters().Where(a => a.Id == attachmentId).Select(a => a.FileName).SingleAsync()));
        var download = await api.GetAsync($"/api/v1/organizations/{acme}/tickets/{id}/attachments/{attachmentId}");
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("x.png", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task An_organization_key_raises_tickets_with_attachments_and_numbers_increase()
    {
        var desk = await app.NewDeskAsync();
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var api = await app.OrganizationApiAsync();
        var before = await app.CountsAsync();
        var last = await app.LastNumberAsync();
        var subject = Http.Unique("API ticket");

        var first = await api.RaiseByApiAsync(acme, desk.TypeId, subject, ("shot.png", SupportSteps.Png(512)), ("notes.txt", "a\nb\n"u8.ToArray()));
        var second = await api.RaiseByApiAsync(acme, desk.TypeId, Http.Unique("API ticket"));

        Assert.Equal(last + 1, first.GetProperty("ticket").GetProperty("number").GetInt64());
        Assert.Equal(last + 2, second.GetProperty("ticket").GetProperty("number").GetInt64());
        Assert.Equal("Open", first.GetProperty("ticket").GetProperty("status").GetString());
        var attachments = first.GetProperty("messages")[0].GetProperty("attachments").EnumerateArray()
            .Select(a => (a.GetProperty("fileName").GetString(), a.GetProperty("contentType").GetString())).ToList();
        Assert.Equal([("notes.txt", "text/plain"), ("shot.png", "image/png")], attachments);
        var after = await app.CountsAsync();
        Assert.Equal((before.Tickets + 2, before.Messages + 2, before.Attachments + 2), (after.Tickets, after.Messages, after.Attachments));
        await MailDev.WaitForAsync(desk.TeamEmail, subject);

        var id = first.GetProperty("ticket").GetProperty("id").GetGuid();
        var attachmentId = first.GetProperty("messages")[0].GetProperty("attachments").EnumerateArray().Single(a => a.GetProperty("fileName").GetString() == "shot.png").GetProperty("id").GetGuid();
        var download = await api.GetAsync($"/api/v1/organizations/{acme}/tickets/{id}/attachments/{attachmentId}");
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(SupportSteps.Png(512), await download.Content.ReadAsByteArrayAsync());

        var list = await (await api.GetAsync($"/api/v1/organizations/{acme}/tickets?status=Open&limit=200")).JsonAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.All(list.GetProperty("items").EnumerateArray(), t => Assert.Equal("Open", t.GetProperty("status").GetString()));
        var paged = await (await api.GetAsync($"/api/v1/organizations/{acme}/tickets?limit=1")).JsonAsync();
        Assert.Single(paged.GetProperty("items").EnumerateArray());
        Assert.NotNull(paged.GetProperty("nextCursor").GetString());
    }

    [Fact]
    public async Task Bad_api_input_is_a_field_error_and_writes_nothing()
    {
        var desk = await app.NewDeskAsync();
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var api = await app.OrganizationApiAsync();
        var before = await app.CountsAsync();
        var url = $"/api/v1/organizations/{acme}/tickets";

        var badBase64 = await api.PostAsJsonAsync(url, new { typeId = desk.TypeId, subject = "s", body = "b", attachments = new[] { new { fileName = "a.png", contentBase64 = "not base64!!" } } });
        Assert.Contains("attachments", (await badBase64.ProblemAsync(400)).ErrorKeys());
        var big = await api.PostAsJsonAsync(url, new { typeId = desk.TypeId, subject = "s", body = "b", attachments = new[] { new { fileName = "big.png", contentBase64 = Convert.ToBase64String(SupportSteps.Png(6 * 1024 * 1024)) } } });
        var bigProblem = await big.ProblemAsync(400);
        Assert.Contains("larger than 5 MB", bigProblem.GetProperty("errors").GetProperty("attachments")[0].GetString(), StringComparison.Ordinal);
        var exe = await api.PostAsJsonAsync(url, new { typeId = desk.TypeId, subject = "s", body = "b", attachments = new[] { new { fileName = "x.png", contentBase64 = Convert.ToBase64String("MZ\x90\0"u8.ToArray()) } } });
        Assert.Contains("attachments", (await exe.ProblemAsync(400)).ErrorKeys());
        var empty = await api.PostAsJsonAsync(url, new { typeId = Guid.NewGuid(), subject = "", body = new string('x', Ticket.BodyMaxLength + 1) });
        Assert.Equal(["body", "subject", "typeId"], (await empty.ProblemAsync(400)).ErrorKeys().Order(StringComparer.Ordinal));

        Assert.Equal(before, await app.CountsAsync());
    }

    [Fact]
    public async Task Another_organizations_ticket_is_not_found_through_the_api()
    {
        var desk = await app.NewDeskAsync();
        var globex = await app.OrganizationIdAsync(ApiKeysForTests.Globex);
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var theirs = await (await app.OrganizationApiAsync(ApiKeysForTests.Globex)).RaiseByApiAsync(globex, desk.TypeId, Http.Unique("Globex"), ("a.png", SupportSteps.Png()));
        var id = theirs.GetProperty("ticket").GetProperty("id").GetGuid();
        var attachment = theirs.GetProperty("messages")[0].GetProperty("attachments")[0].GetProperty("id").GetGuid();
        var api = await app.OrganizationApiAsync();
        var before = await app.CountsAsync();

        await (await api.GetAsync($"/api/v1/organizations/{globex}/tickets/{id}")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/organizations/{acme}/tickets/{id}")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/organizations/{globex}/tickets")).ProblemAsync(404);
        await (await api.GetAsync($"/api/v1/organizations/{acme}/tickets/{id}/attachments/{attachment}")).ProblemAsync(404);
        await (await api.PostAsJsonAsync($"/api/v1/organizations/{acme}/tickets/{id}/replies", new { body = "hi" })).ProblemAsync(404);
        await (await api.PostAsync($"/api/v1/organizations/{acme}/tickets/{id}/close", null)).ProblemAsync(404);
        await (await api.PostAsJsonAsync($"/api/v1/organizations/{globex}/tickets", new { typeId = desk.TypeId, subject = "s", body = "b" })).ProblemAsync(404);
        Assert.Equal(before, await app.CountsAsync());
    }

    [Fact]
    public async Task Org_keys_cannot_write_internal_notes_or_use_the_queue_and_never_see_internal_notes()
    {
        var desk = await app.NewDeskAsync();
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var api = await app.OrganizationApiAsync();
        var raised = await api.RaiseByApiAsync(acme, desk.TypeId, Http.Unique("Internal"));
        var id = raised.GetProperty("ticket").GetProperty("id").GetGuid();
        var before = await app.CountsAsync();

        await (await api.PostAsJsonAsync($"/api/v1/organizations/{acme}/tickets/{id}/replies", new { body = "note", @internal = true })).ProblemAsync(403);
        await (await api.PostAsJsonAsync($"/api/v1/organizations/{acme}/tickets/{id}/replies", new { body = "done", status = "Resolved" })).ProblemAsync(403);
        await (await api.GetAsync("/api/v1/tickets")).ProblemAsync(403);
        await (await api.PostAsJsonAsync($"/api/v1/tickets/{id}/replies", new { body = "note", @internal = true })).ProblemAsync(403);
        await (await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Resolved" })).ProblemAsync(403);
        Assert.Equal(before, await app.CountsAsync());

        var staff = await app.OperatorApiAsync();
        var note = await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/replies", new { body = "Secret staff note", @internal = true });
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        Assert.True((await note.JsonAsync()).GetProperty("internal").GetBoolean());
        var customerView = await (await api.GetAsync($"/api/v1/organizations/{acme}/tickets/{id}")).JsonAsync();
        Assert.Single(customerView.GetProperty("messages").EnumerateArray());
        Assert.DoesNotContain("Secret staff note", customerView.ToString(), StringComparison.Ordinal);
        var staffView = await (await staff.GetAsync($"/api/v1/tickets/{id}")).JsonAsync();
        Assert.Equal(2, staffView.GetProperty("messages").GetArrayLength());
        // An API key has no member behind it, so no customer email for anything; the note sends none to anyone.
        Assert.Equal(before.Outbox, (await app.CountsAsync()).Outbox);
    }

    [Fact]
    public async Task Staff_work_the_queue_assign_prioritise_reply_and_the_customer_follows()
    {
        var desk = await app.NewDeskAsync();
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        var subject = Http.Unique("Queue");
        var id = await member.RaiseInPortalAsync(desk.TypeId, subject);
        var staff = await app.OperatorApiAsync();
        var dana = await app.DbAsync(db => db.Users.Where(u => u.Email == "admin@demo-telecom.test").Select(u => u.Id).SingleAsync());

        var queue = await (await staff.GetAsync($"/api/v1/tickets?teamId={desk.TeamId}&status=Open")).JsonAsync();
        Assert.Equal([id], queue.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
        var assigned = await (await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/assign", new { assigneeUserId = dana })).JsonAsync();
        Assert.Equal(dana, assigned.GetProperty("assigneeUserId").GetGuid());
        await (await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/assign", new { assigneeUserId = Guid.NewGuid() })).ProblemAsync(400);
        var mine = await (await staff.GetAsync($"/api/v1/tickets?assigneeUserId={dana}&typeId={desk.TypeId}&organizationId={person.OrganizationId}")).JsonAsync();
        Assert.Equal([id], mine.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
        Assert.Equal("Urgent", (await (await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/priority", new { priority = "Urgent" })).JsonAsync()).GetProperty("priority").GetString());

        var reply = await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/replies", new { body = "Fixed on our side.", status = "Resolved" });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var email = await MailDev.WaitForAsync(person.Email, subject);
        Assert.Contains("Fixed on our side.", email.Text, StringComparison.Ordinal);
        Assert.Contains($"/portal/support/{id}", email.Link("/portal/support"), StringComparison.Ordinal);
        var page = await member.GetPageAsync($"/portal/support/{id}");
        Assert.Contains("Fixed on our side.", page.QuerySelector(".ticket-thread")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Resolved", page.QuerySelector(".ticket-status")!.TextContent, StringComparison.Ordinal);

        var status = await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Closed" });
        Assert.Equal("Closed", (await status.JsonAsync()).GetProperty("status").GetString());
        await MailDev.WaitForAsync(person.Email, "is now Closed");
        var before = await app.CountsAsync();
        await (await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/replies", new { body = "One more thing" })).ProblemAsync(409);
        Assert.Equal(before, await app.CountsAsync());
    }

    [Fact]
    public async Task An_org_key_replies_closes_and_reopens()
    {
        var desk = await app.NewDeskAsync();
        var acme = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var api = await app.OrganizationApiAsync();
        var id = (await api.RaiseByApiAsync(acme, desk.TypeId, Http.Unique("Lifecycle"))).GetProperty("ticket").GetProperty("id").GetGuid();
        var url = $"/api/v1/organizations/{acme}/tickets/{id}";

        Assert.Equal("Closed", (await (await api.PostAsync($"{url}/close", null)).JsonAsync()).GetProperty("status").GetString());
        await (await api.PostAsync($"{url}/close", null)).ProblemAsync(409);
        var before = await app.CountsAsync();
        await (await api.PostAsJsonAsync($"{url}/replies", new { body = "Hello?" })).ProblemAsync(409);
        Assert.Equal(before, await app.CountsAsync());
        Assert.Equal("Open", (await (await api.PostAsync($"{url}/reopen", null)).JsonAsync()).GetProperty("status").GetString());
        var reply = await api.PostAsJsonAsync($"{url}/replies", new { body = "Hello?", attachments = new[] { new { fileName = "trace.log", contentBase64 = Convert.ToBase64String("trace\n"u8.ToArray()) } } });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        Assert.Equal("text/plain", (await reply.JsonAsync()).GetProperty("attachments")[0].GetProperty("contentType").GetString());
        await MailDev.WaitForAsync(desk.TeamEmail, "replied");
    }

    [Fact]
    public async Task A_suspended_organizations_key_can_still_raise_a_ticket()
    {
        var desk = await app.NewDeskAsync();
        var (organizationId, _) = await app.CreateOrganizationAsync();
        await app.DbAsync(async db =>
        {
            (await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == organizationId)).Status = OrganizationStatus.Suspended;
            return await db.SaveChangesAsync();
        });
        var api = await app.ApiAsync(organizationId, null);
        await api.RaiseByApiAsync(organizationId, desk.TypeId, Http.Unique("Help"));
    }
}

public sealed class TicketsApiTestsOnSqlite(SqliteApp app) : TicketsApiTests(app), IClassFixture<SqliteApp>;

public sealed class TicketsApiTestsOnPostgres(PostgresApp app) : TicketsApiTests(app), IClassFixture<PostgresApp>;
