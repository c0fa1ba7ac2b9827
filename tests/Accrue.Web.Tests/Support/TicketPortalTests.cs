using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Support;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Support;

/// <summary>The portal's Support tab (seed 004): raising, following, replying, closing; who sees what; bad input.</summary>
public abstract class TicketPortalTests(AccrueApp app)
{
    [Fact]
    public async Task A_member_raises_a_ticket_with_an_attachment_and_the_responsible_team_is_emailed()
    {
        var desk = await app.NewDeskAsync();
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        var before = await app.CountsAsync();
        var lastNumber = await app.LastNumberAsync();
        var subject = Http.Unique("Router keeps rebooting");

        var id = await member.RaiseInPortalAsync(desk.TypeId, subject, "Every ten minutes.\nSince Monday.", [("screen shot.png", SupportSteps.Png(2048))]);

        var after = await app.CountsAsync();
        Assert.Equal((before.Tickets + 1, before.Messages + 1, before.Attachments + 1), (after.Tickets, after.Messages, after.Attachments));
        var (ticket, attachment) = await app.DbAsync(async db => (
            await db.Tickets.IgnoreQueryFilters().SingleAsync(t => t.Id == id),
            await db.TicketAttachments.IgnoreQueryFilters().SingleAsync(a => a.TicketId == id)));
        Assert.Equal((lastNumber + 1, TicketStatus.Open, TicketPriority.High, desk.TeamId, person.OrganizationId, person.MemberId),
            (ticket.Number, ticket.Status, ticket.Priority, ticket.TeamId, ticket.OrganizationId, ticket.RaisedByMemberId));
        Assert.Equal(("screen shot.png", "image/png", 2048L), (attachment.FileName, attachment.ContentType, attachment.Size));

        var alert = await MailDev.WaitForAsync(desk.TeamEmail, subject);
        Assert.Contains($"[#{ticket.Number}]", alert.Subject, StringComparison.Ordinal);
        Assert.Contains("Every ten minutes.", alert.Text, StringComparison.Ordinal);
        Assert.Contains($"/console/support/{id}", alert.Link("/console/support"), StringComparison.Ordinal);

        var page = await member.GetPageAsync($"/portal/support/{id}");
        Assert.Contains(subject, page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Every ten minutes.\nSince Monday.", page.QuerySelector(".support-text")!.TextContent);
        var link = page.QuerySelector(".ticket-attachments a")!.GetAttribute("href")!;
        var download = await member.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(SupportSteps.Png(2048), await download.Content.ReadAsByteArrayAsync());

        var list = await member.GetPageAsync("/portal/support");
        var row = list.QuerySelector($".tickets-table tr[data-ticket='{ticket.Number}']")!;
        Assert.Contains(subject, row.TextContent, StringComparison.Ordinal);
        Assert.Contains(desk.TypeName, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Open", row.QuerySelector(".ticket-status")!.TextContent, StringComparison.Ordinal);
        Assert.Null((await member.GetPageAsync("/portal/support?status=closed")).QuerySelector($"tr[data-ticket='{ticket.Number}']"));
    }

    [Fact]
    public async Task The_form_states_the_limits_and_the_list_has_an_empty_state()
    {
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        var list = await member.GetPageAsync("/portal/support");
        Assert.NotNull(list.QuerySelector(".empty-state"));
        Assert.NotNull(list.QuerySelector("a[href='/portal/support/new']"));
        Assert.NotNull((await member.GetPageAsync("/portal")).QuerySelector("nav a[href='/portal/support']"));
        var form = await member.GetPageAsync("/portal/support/new");
        Assert.Equal("multipart/form-data", form.QuerySelector("main form")!.GetAttribute("enctype"));
        Assert.Contains(AttachmentPolicy.Accepted, form.QuerySelector("#attachments-help")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("5 MB", form.QuerySelector("#attachments-help")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("General issue — Any other question or request.", form.QuerySelector("select[name=TypeId]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_refused_beside_its_field_and_writes_nothing()
    {
        var desk = await app.NewDeskAsync();
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        var otherSubscription = await app.DbAsync(db => db.Subscriptions.IgnoreQueryFilters()
            .Where(s => db.Organizations.IgnoreQueryFilters().Any(o => o.Id == s.OrganizationId && o.Name == ApiKeysForTests.Globex)).Select(s => s.Id).FirstAsync());
        var unknown = new byte[300];
        for (var i = 0; i < unknown.Length; i++) unknown[i] = (byte)(i * 7 % 256 | 0x80);
        var cases = new (string Why, Dictionary<string, string> Fields, (string, byte[])[] Files, string Field, string Message)[]
        {
            ("6 MB file", new(), [("big.png", SupportSteps.Png(6 * 1024 * 1024))], "Attachments", "larger than 5 MB"),
            (".exe", new(), [("setup.exe", SupportSteps.Png())], "Attachments", "program or script"),
            ("MZ bytes", new(), [("invoice.pdf", "MZ\x90\0\x03"u8.ToArray())], "Attachments", "program or script"),
            ("unknown binary", new(), [("data.dat", unknown)], "Attachments", "not a file type we accept"),
            ("six files", new(), Enumerable.Range(1, 6).Select(i => ($"shot{i}.png", SupportSteps.Png())).ToArray(), "Attachments", "at most 5 files"),
            ("empty subject", new() { ["Subject"] = "  " }, [], "Subject", "Subject"),
            ("body too long", new() { ["Body"] = new string('x', Ticket.BodyMaxLength + 1) }, [], "Body", "10000"),
            ("unknown type", new() { ["TypeId"] = Guid.NewGuid().ToString() }, [], "TypeId", "Choose the kind of issue"),
            ("another organization's subscription", new() { ["SubscriptionId"] = otherSubscription.ToString() }, [], "SubscriptionId", "your organization's subscriptions"),
        };
        var before = await app.CountsAsync();
        foreach (var (why, overrides, files, field, message) in cases)
        {
            var fields = new Dictionary<string, string> { ["TypeId"] = desk.TypeId.ToString(), ["Subject"] = "Valid subject", ["Body"] = "Valid body", ["SubscriptionId"] = "" };
            foreach (var (k, v) in overrides) fields[k] = v;
            var response = await member.PostMultipartAsync("/portal/support/new", fields, files);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{why}: {(int)response.StatusCode}");
            var page = Http.Parse(await response.Content.ReadAsStringAsync());
            var error = page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent ?? "";
            Assert.True(error.Contains(message, StringComparison.OrdinalIgnoreCase), $"{why}: expected '{message}' beside {field}, got '{error}'; all: {string.Join(" | ", page.Errors())}");
        }
        Assert.Equal(before, await app.CountsAsync());
    }

    [Fact]
    public async Task Members_see_their_own_tickets_and_Manage_support_sees_the_organizations()
    {
        var desk = await app.NewDeskAsync();
        var alice = await app.NewMemberAsync();
        var bob = await app.NewMemberAsync();
        var lead = await app.NewMemberAsync(permissionSetId: PermissionSet.SupportId);
        var aliceClient = await app.SignedInAsync(alice.Email, alice.Password);
        var bobClient = await app.SignedInAsync(bob.Email, bob.Password);
        var leadClient = await app.SignedInAsync(lead.Email, lead.Password);
        var alicesTicket = await aliceClient.RaiseInPortalAsync(desk.TypeId, Http.Unique("Alice's"));
        var bobsTicket = await bobClient.RaiseInPortalAsync(desk.TypeId, Http.Unique("Bob's"));

        var bobsList = await bobClient.GetPageAsync("/portal/support");
        Assert.NotNull(bobsList.QuerySelector($"a[href='/portal/support/{bobsTicket}']"));
        Assert.Null(bobsList.QuerySelector($"a[href='/portal/support/{alicesTicket}']"));
        await bobClient.GetPageAsync($"/portal/support/{alicesTicket}", HttpStatusCode.NotFound);
        Assert.Equal("1", (await bobClient.GetPageAsync("/portal")).QuerySelector(".tickets-open")!.TextContent.Trim());

        var leadsList = await leadClient.GetPageAsync("/portal/support");
        Assert.NotNull(leadsList.QuerySelector($"a[href='/portal/support/{bobsTicket}']"));
        Assert.NotNull(leadsList.QuerySelector($"a[href='/portal/support/{alicesTicket}']"));
        await leadClient.GetPageAsync($"/portal/support/{alicesTicket}");
        var visibleToLead = await app.DbAsync(db => db.Tickets.IgnoreQueryFilters()
            .CountAsync(t => t.OrganizationId == lead.OrganizationId && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed));
        Assert.Equal(visibleToLead.ToString(System.Globalization.CultureInfo.InvariantCulture), (await leadClient.GetPageAsync("/portal")).QuerySelector(".tickets-open")!.TextContent.Trim());
    }

    [Fact]
    public async Task Another_organizations_ticket_and_attachment_are_not_found()
    {
        var desk = await app.NewDeskAsync();
        var globexPerson = await app.NewMemberAsync(ApiKeysForTests.Globex, PermissionSet.SupportId);
        var globex = await app.SignedInAsync(globexPerson.Email, globexPerson.Password);
        var id = await globex.RaiseInPortalAsync(desk.TypeId, Http.Unique("Globex only"), files: [("a.png", SupportSteps.Png())]);
        var attachment = await app.DbAsync(db => db.TicketAttachments.IgnoreQueryFilters().Where(a => a.TicketId == id).Select(a => a.Id).SingleAsync());

        var acmePerson = await app.NewMemberAsync(permissionSetId: PermissionSet.SupportId);
        var acme = await app.SignedInAsync(acmePerson.Email, acmePerson.Password);
        await acme.GetPageAsync($"/portal/support/{id}", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/portal/support/{id}/attachments/{attachment}")).StatusCode);
        var before = await app.CountsAsync();
        var reply = await acme.PostMultipartAsync($"/portal/support/{id}", new Dictionary<string, string> { ["Body"] = "Sneaky" }, tokenSource: "/portal/support/new");
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(before, await app.CountsAsync());
        // The attachment id under a ticket of one's own is not found either.
        var own = await acme.RaiseInPortalAsync(desk.TypeId, Http.Unique("Acme"));
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/portal/support/{own}/attachments/{attachment}")).StatusCode);
    }

    [Fact]
    public async Task Script_in_a_ticket_is_stored_as_typed_and_shown_escaped()
    {
        var desk = await app.NewDeskAsync();
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        const string subject = "<script>alert('subject')</script>";
        const string body = "<img src=x onerror=alert(1)><script>alert('body')</script>";
        var id = await member.RaiseInPortalAsync(desk.TypeId, subject, body);

        var stored = await app.DbAsync(db => db.TicketMessages.IgnoreQueryFilters().Where(m => m.TicketId == id).Select(m => new { m.Body, Subject = db.Tickets.IgnoreQueryFilters().Single(t => t.Id == id).Subject }).SingleAsync());
        Assert.Equal((subject, body), (stored.Subject, stored.Body));
        foreach (var url in new[] { $"/portal/support/{id}", "/portal/support" })
        {
            var html = await (await member.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_closed_ticket_refuses_replies_until_it_is_reopened()
    {
        var desk = await app.NewDeskAsync();
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        var id = await member.RaiseInPortalAsync(desk.TypeId, Http.Unique("Close me"));
        var url = $"/portal/support/{id}";

        var closed = await member.PostFormAsync($"{url}?handler=close", new Dictionary<string, string>(), url);
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.Equal(TicketStatus.Closed, await StatusAsync(id));
        var page = await member.GetPageAsync(url);
        Assert.Null(page.QuerySelector("textarea[name=Body]"));
        Assert.Contains("Reopen it to reply", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var before = await app.CountsAsync();
        // The page offers no reply form any more; a stale form posted anyway is refused.
        var refused = await member.PostMultipartAsync(url, new Dictionary<string, string> { ["Body"] = "Still broken" }, [("log.txt", "line 1\n"u8.ToArray())], tokenSource: "/portal/support/new");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("closed; reopen it to reply", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountsAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync($"{url}?handler=reopen", new Dictionary<string, string>(), url)).StatusCode);
        Assert.Equal(TicketStatus.Open, await StatusAsync(id));
        var replied = await member.PostMultipartAsync(url, new Dictionary<string, string> { ["Body"] = "Still broken after the restart" }, [("log.txt", "line 1\n"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.Redirect, replied.StatusCode);
        var after = await app.CountsAsync();
        Assert.Equal((before.Messages + 1, before.Attachments + 1), (after.Messages, after.Attachments));
        Assert.Equal("text/plain", await app.DbAsync(db => db.TicketAttachments.IgnoreQueryFilters().Where(a => a.TicketId == id).Select(a => a.ContentType).SingleAsync()));
        await MailDev.WaitForAsync(desk.TeamEmail, "replied");
        var bodies = (await member.GetPageAsync(url)).QuerySelectorAll(".support-text");
        Assert.Equal("Still broken after the restart", bodies[bodies.Length - 1].TextContent);
    }

    [Fact]
    public async Task Staff_reply_by_api_reaches_the_customer_and_internal_notes_stay_internal()
    {
        var desk = await app.NewDeskAsync();
        var person = await app.NewMemberAsync();
        var member = await app.SignedInAsync(person.Email, person.Password);
        var subject = Http.Unique("Slow line");
        var id = await member.RaiseInPortalAsync(desk.TypeId, subject);
        var staff = await app.OperatorApiAsync();

        var note = await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/replies", new { body = "Internal: line card 7 is flapping", @internal = true, status = "InProgress" });
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        var reply = await staff.PostAsJsonAsync($"/api/v1/tickets/{id}/replies", new { body = "We replaced a faulty card. Is it better now?" });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        Assert.Equal(TicketStatus.AwaitingCustomer, await StatusAsync(id));

        var email = await MailDev.WaitForAsync(person.Email, "New reply");
        Assert.Contains("We replaced a faulty card.", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("line card 7", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.DbAsync(db => db.Outbox.IgnoreQueryFilters().Where(o => o.To == person.Email).Select(o => o.TextBody).ToListAsync()),
            text => text.Contains("line card 7", StringComparison.Ordinal));

        var page = await member.GetPageAsync($"/portal/support/{id}");
        Assert.Contains("We replaced a faulty card.", page.QuerySelector(".ticket-thread")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("line card 7", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.Contains("Awaiting customer", page.QuerySelector(".ticket-status")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspended_organization_can_still_raise_a_ticket()
    {
        var desk = await app.NewDeskAsync();
        var (organizationId, _) = await app.CreateOrganizationAsync();
        var name = await app.DbAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == organizationId).Select(o => o.Name).SingleAsync());
        var person = await app.NewMemberAsync(name);
        await app.DbAsync(async db =>
        {
            var organization = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == organizationId);
            organization.Status = OrganizationStatus.Suspended;
            return await db.SaveChangesAsync();
        });
        var member = await app.SignedInAsync(person.Email, person.Password);
        var id = await member.RaiseInPortalAsync(desk.TypeId, Http.Unique("Why suspended"));
        Assert.Equal(organizationId, await app.DbAsync(db => db.Tickets.IgnoreQueryFilters().Where(t => t.Id == id).Select(t => t.OrganizationId).SingleAsync()));
    }

    private Task<TicketStatus> StatusAsync(Guid id) => app.DbAsync(db => db.Tickets.IgnoreQueryFilters().Where(t => t.Id == id).Select(t => t.Status).SingleAsync());
}

public sealed class TicketPortalTestsOnSqlite(SqliteApp app) : TicketPortalTests(app), IClassFixture<SqliteApp>;

public sealed class TicketPortalTestsOnPostgres(PostgresApp app) : TicketPortalTests(app), IClassFixture<PostgresApp>;
