using System.Net;
using System.Net.Http.Json;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Accrue.Web.Features.Support;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Bills;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Support;



/// <summary>Tickets raised by a test's own members through <see cref="TicketCommands"/>, as the portal would.</summary>
public static class ConsoleSupportSteps
{
    public const string Operator = "admin@demo-telecom.test";
    public const string PartnerStaff = "staff@northwind.test";
    public const string Acme = "Acme Prepaid Ltd";
    public const string Initech = "Initech Pty";

    public sealed record Raised(Guid Id, long Number, People.Person By);

    public static async Task<Raised> RaiseAsync(this AccrueApp app, People.Person by, string type = "General issue", string? subject = null, params Upload[] uploads)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(new Actor(ActorKind.Member, by.UserId, "Test Person", by.OrganizationId, MemberId: by.MemberId));
        var db = scope.ServiceProvider.GetRequiredService<AccrueDb>();
        var typeId = await db.TicketTypes.Where(t => t.Name == type).Select(t => t.Id).SingleAsync();
        var raised = await scope.ServiceProvider.GetRequiredService<TicketCommands>()
            .RaiseAsync(by.OrganizationId, new NewTicket(typeId, subject ?? Http.Unique("Subject"), "Something is wrong."), uploads);
        Assert.True(raised.Succeeded, raised.Failure?.ToString());
        return new Raised(raised.Value!.Id, raised.Value.Number, by);
    }

    public static Task<Ticket> TicketAsync(this AccrueApp app, Guid id) =>
        app.DbAsync(db => db.Tickets.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.Id == id));

    public static Task<List<TicketMessage>> MessagesAsync(this AccrueApp app, Guid id) =>
        app.DbAsync(db => db.TicketMessages.IgnoreQueryFilters().AsNoTracking().Where(m => m.TicketId == id).OrderBy(m => m.At).ToListAsync());

    public static Task<int> OutboxToAsync(this AccrueApp app, string to) =>
        app.DbAsync(db => db.Outbox.IgnoreQueryFilters().CountAsync(m => m.To == to));

    public static Task<Guid> IdOfAsync<T>(this AccrueApp app, Func<AccrueDb, IQueryable<T>> set, System.Linq.Expressions.Expression<Func<T, bool>> which, System.Linq.Expressions.Expression<Func<T, Guid>> id) where T : class =>
        app.DbAsync(db => set(db).IgnoreQueryFilters().Where(which).Select(id).SingleAsync());

    public static Task<Guid> TypeIdAsync(this AccrueApp app, string name) => app.IdOfAsync(db => db.TicketTypes, t => t.Name == name, t => t.Id);
    public static Task<Guid> TeamIdAsync(this AccrueApp app, string name) => app.IdOfAsync(db => db.SupportTeams, t => t.Name == name, t => t.Id);
    public static Task<Guid> OrganizationAsync(this AccrueApp app, string name) => app.IdOfAsync(db => db.Organizations, o => o.Name == name, o => o.Id);
    public static Task<Guid> UserIdAsync(this AccrueApp app, string email) => app.IdOfAsync(db => db.Users, u => u.Email == email, u => u.Id);

    /// <summary>The ticket numbers listed on a queue page.</summary>
    public static async Task<IReadOnlyList<long>> QueueAsync(this HttpClient staff, string query = "")
    {
        var page = await staff.GetPageAsync("/console/support" + query);
        return [.. page.QuerySelectorAll("#support-queue tbody tr").Select(r => long.Parse(r.GetAttribute("data-ticket")!, System.Globalization.CultureInfo.InvariantCulture))];
    }
}

public abstract class ConsoleSupportTests(AccrueApp app, MovableClock clock)
{
    [Fact]
    public async Task The_queue_filters_by_status_type_organization_team_and_assignee()
    {
        var acmeMember = await app.NewMemberAsync(ConsoleSupportSteps.Acme);
        var initechMember = await app.NewMemberAsync(ConsoleSupportSteps.Initech);
        var general = await app.RaiseAsync(acmeMember, "General issue");
        var billing = await app.RaiseAsync(acmeMember, "Billing question");
        var initech = await app.RaiseAsync(initechMember, "Complaint");
        var closed = await app.RaiseAsync(acmeMember, "General issue");
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var mine = await staff.SubmitFormAsync($"/console/support/{billing.Id}", new Dictionary<string, string>(), "#assign-me-form");
        Assert.Equal(HttpStatusCode.Redirect, mine.StatusCode);
        var close = await staff.SubmitFormAsync($"/console/support/{closed.Id}", new Dictionary<string, string> { ["status"] = "Closed" }, "#status-form");
        Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);

        var open = await staff.QueueAsync();
        Assert.Contains(general.Number, open);
        Assert.Contains(initech.Number, open);
        Assert.DoesNotContain(closed.Number, open);
        Assert.Contains(closed.Number, await staff.QueueAsync("?status=Closed"));
        Assert.DoesNotContain(general.Number, await staff.QueueAsync("?status=Closed"));
        Assert.Contains(closed.Number, await staff.QueueAsync("?status=all"));

        var byType = await staff.QueueAsync($"?type={await app.TypeIdAsync("Billing question")}");
        Assert.Contains(billing.Number, byType);
        Assert.DoesNotContain(general.Number, byType);

        var byOrganization = await staff.QueueAsync($"?organization={await app.OrganizationAsync(ConsoleSupportSteps.Initech)}");
        Assert.Contains(initech.Number, byOrganization);
        Assert.DoesNotContain(general.Number, byOrganization);
        Assert.DoesNotContain(billing.Number, byOrganization);

        var byTeam = await staff.QueueAsync($"?team={await app.TeamIdAsync("Customer Care")}");
        Assert.Contains(general.Number, byTeam);
        Assert.Contains(initech.Number, byTeam);
        Assert.DoesNotContain(billing.Number, byTeam);

        var assignedToMe = await staff.QueueAsync("?assignee=me");
        Assert.Contains(billing.Number, assignedToMe);
        Assert.DoesNotContain(general.Number, assignedToMe);
        Assert.Equal(assignedToMe, await staff.QueueAsync($"?assignee={await app.UserIdAsync(ConsoleSupportSteps.Operator)}"));
        var unassigned = await staff.QueueAsync("?assignee=unassigned");
        Assert.Contains(general.Number, unassigned);
        Assert.DoesNotContain(billing.Number, unassigned);

        var combined = await staff.QueueAsync($"?status=Open&organization={acmeMember.OrganizationId}&team={await app.TeamIdAsync("Customer Care")}&assignee=unassigned");
        Assert.Contains(general.Number, combined);
        Assert.DoesNotContain(billing.Number, combined);
        Assert.DoesNotContain(initech.Number, combined);
    }

    [Fact]
    public async Task The_queue_lists_the_longest_wait_first_and_shows_the_time_since_the_customer_wrote()
    {
        var member = await app.NewMemberAsync(ConsoleSupportSteps.Initech);
        var older = await app.RaiseAsync(member);
        clock.Advance(TimeSpan.FromMinutes(30));
        var newer = await app.RaiseAsync(member);
        clock.Advance(TimeSpan.FromHours(3) - TimeSpan.FromMinutes(30) + TimeSpan.FromMinutes(12));

        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var page = await staff.GetPageAsync($"/console/support?organization={member.OrganizationId}");
        var rows = page.QuerySelectorAll("#support-queue tbody tr").Where(r => r.GetAttribute("data-ticket") is { } n && (n == older.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) || n == newer.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal([older.Number, newer.Number], rows.Select(r => long.Parse(r.GetAttribute("data-ticket")!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("3 h 12 min", rows[0].QuerySelector("td.waiting")!.TextContent.Trim());
        Assert.Equal("2 h 42 min", rows[1].QuerySelector("td.waiting")!.TextContent.Trim());
        Assert.Equal("Since customer wrote", page.QuerySelectorAll("#support-queue thead th")[^1].TextContent.Trim());
    }

    [Fact]
    public async Task Partner_staff_see_their_partners_tickets_only_and_get_404_for_another_organizations()
    {
        var acme = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme));
        var initech = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Initech));
        var partner = await app.SignedInAsync(ConsoleSupportSteps.PartnerStaff);

        var queue = await partner.QueueAsync("?status=all");
        Assert.Contains(initech.Number, queue);
        Assert.DoesNotContain(acme.Number, queue);
        await partner.GetPageAsync($"/console/support/{initech.Id}");
        await partner.GetPageAsync($"/console/support/{acme.Id}", HttpStatusCode.NotFound);

        var replied = await partner.PostFormAsync($"/console/support/{acme.Id}?handler=Reply", new Dictionary<string, string> { ["Body"] = "Not yours" }, "/console/support");
        Assert.Equal(HttpStatusCode.NotFound, replied.StatusCode);
        Assert.Single(await app.MessagesAsync(acme.Id));

        var reply = await partner.SubmitFormAsync($"/console/support/{initech.Id}", new Dictionary<string, string> { ["Body"] = "Partner here, looking." }, "#reply-form");
        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        Assert.Equal(2, (await app.MessagesAsync(initech.Id)).Count);
    }

    [Fact]
    public async Task A_staff_reply_from_the_console_writes_a_message_and_emails_the_customer()
    {
        var raised = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme), subject: Http.Unique("Router down"));
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);

        var response = await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string> { ["Body"] = "We restarted it.\nPlease check <b>now</b>." }, "#reply-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var messages = await app.MessagesAsync(raised.Id);
        Assert.Equal(2, messages.Count);
        Assert.Equal((true, false, "We restarted it.\nPlease check <b>now</b>."), (messages[1].FromStaff, messages[1].Internal, messages[1].Body));
        Assert.Equal(TicketStatus.AwaitingCustomer, (await app.TicketAsync(raised.Id)).Status);
        var mail = await MailDev.WaitForAsync(raised.By.Email, $"[#{raised.Number}] New reply");
        Assert.Contains("We restarted it.", mail.Text, StringComparison.Ordinal);

        var page = await staff.GetPageAsync($"/console/support/{raised.Id}");
        var shown = page.QuerySelectorAll(".support-message .support-text")[^1];
        Assert.Equal("We restarted it.\nPlease check <b>now</b>.", shown.TextContent);
        Assert.Empty(shown.QuerySelectorAll("b"));
    }

    [Fact]
    public async Task An_internal_note_is_marked_internal_and_sends_the_customer_nothing()
    {
        var raised = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme));
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var before = await app.OutboxToAsync(raised.By.Email);

        var response = await staff.SubmitFormAsync($"/console/support/{raised.Id}",
            new Dictionary<string, string> { ["Body"] = "Customer is on the old firmware.", ["Internal"] = "true" }, "#reply-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var note = (await app.MessagesAsync(raised.Id)).Last();
        Assert.Equal((true, true, "Customer is on the old firmware."), (note.FromStaff, note.Internal, note.Body));
        Assert.Equal(TicketStatus.Open, (await app.TicketAsync(raised.Id)).Status);
        Assert.Equal(before, await app.OutboxToAsync(raised.By.Email));
        var page = await staff.GetPageAsync($"/console/support/{raised.Id}");
        var internalNote = page.QuerySelector(".support-message[data-internal=true]")!;
        Assert.Contains("Internal note — the customer never sees this", internalNote.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_change_emails_the_customer_and_a_closed_ticket_refuses_replies()
    {
        var raised = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme));
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);

        var resolved = await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string> { ["status"] = "Resolved" }, "#status-form");
        Assert.Equal(HttpStatusCode.Redirect, resolved.StatusCode);
        Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync(raised.Id)).Status);
        await MailDev.WaitForAsync(raised.By.Email, $"[#{raised.Number}] Your ticket is now Resolved");

        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string> { ["status"] = "Closed" }, "#status-form")).StatusCode);
        var page = await staff.GetPageAsync($"/console/support/{raised.Id}");
        Assert.Null(page.QuerySelector("#reply-form"));
        var refused = await staff.PostFormAsync($"/console/support/{raised.Id}?handler=Reply", new Dictionary<string, string> { ["Body"] = "Too late" }, $"/console/support/{raised.Id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(Http.Parse(await refused.Content.ReadAsStringAsync()).Errors(), e => e.Contains("closed", StringComparison.Ordinal));
        Assert.Single(await app.MessagesAsync(raised.Id));
    }

    [Fact]
    public async Task Staff_assign_a_ticket_to_someone_to_themselves_and_to_nobody_and_set_its_priority()
    {
        var raised = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme));
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var sam = await app.UserIdAsync("support@demo-telecom.test");

        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string> { ["AssigneeUserId"] = sam.ToString() }, "#assign-form")).StatusCode);
        Assert.Equal(sam, (await app.TicketAsync(raised.Id)).AssigneeUserId);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string>(), "#assign-me-form")).StatusCode);
        Assert.Equal(await app.UserIdAsync(ConsoleSupportSteps.Operator), (await app.TicketAsync(raised.Id)).AssigneeUserId);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string> { ["AssigneeUserId"] = "" }, "#assign-form")).StatusCode);
        Assert.Null((await app.TicketAsync(raised.Id)).AssigneeUserId);

        var member = await app.UserIdAsync(raised.By.Email);
        var refused = await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string> { ["AssigneeUserId"] = member.ToString() }, "#assign-form");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null((await app.TicketAsync(raised.Id)).AssigneeUserId);

        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitFormAsync($"/console/support/{raised.Id}", new Dictionary<string, string> { ["priority"] = "Urgent" }, "#priority-form")).StatusCode);
        Assert.Equal(TicketPriority.Urgent, (await app.TicketAsync(raised.Id)).Priority);
        var page = await staff.GetPageAsync($"/console/support/{raised.Id}");
        Assert.Equal("Urgent", page.QuerySelector("#ticket-priority")!.TextContent.Trim());
    }

    [Fact]
    public async Task Attachments_download_as_attachments_that_the_browser_may_not_sniff()
    {
        var raised = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme), uploads: new Upload("trace.log", "line 1\nline 2\n"u8.ToArray()));
        var attachment = await app.DbAsync(db => db.TicketAttachments.IgnoreQueryFilters().SingleAsync(a => a.TicketId == raised.Id));
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);

        var page = await staff.GetPageAsync($"/console/support/{raised.Id}");
        var link = page.QuerySelector(".support-attachments a")!.GetAttribute("href");
        Assert.Equal($"/console/support/{raised.Id}/attachments/{attachment.Id}", link);
        var response = await staff.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("trace.log", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("line 1\nline 2\n", await response.Content.ReadAsStringAsync());

        var partner = await app.SignedInAsync(ConsoleSupportSteps.PartnerStaff);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/console/support/{raised.Id}/attachments/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Only_staff_who_can_open_the_organization_are_offered_and_accepted_as_assignees()
    {
        var direct = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme));
        var underPartner = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Initech));
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var partnerStaff = await app.UserIdAsync(ConsoleSupportSteps.PartnerStaff);
        var operatorStaff = await app.UserIdAsync(ConsoleSupportSteps.Operator);

        async Task<List<string>> OfferedAsync(Guid ticket) =>
            (await staff.GetPageAsync($"/console/support/{ticket}")).QuerySelectorAll("#AssigneeUserId option").Select(o => o.GetAttribute("value")!).ToList();
        var offeredForDirect = await OfferedAsync(direct.Id);
        Assert.DoesNotContain(partnerStaff.ToString(), offeredForDirect);
        Assert.Contains(operatorStaff.ToString(), offeredForDirect);
        Assert.Contains(partnerStaff.ToString(), await OfferedAsync(underPartner.Id));

        var refused = await staff.SubmitFormAsync($"/console/support/{direct.Id}", new Dictionary<string, string> { ["AssigneeUserId"] = partnerStaff.ToString() }, "#assign-form");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(Http.Parse(await refused.Content.ReadAsStringAsync()).Errors(), e => e.Contains("can't open this organization's tickets", StringComparison.Ordinal));
        Assert.Null((await app.TicketAsync(direct.Id)).AssigneeUserId);

        var api = await app.OperatorApiAsync();
        var problem = await (await api.PostAsJsonAsync($"/api/v1/tickets/{direct.Id}/assign", new { assigneeUserId = partnerStaff })).ProblemAsync(400);
        Assert.Equal("assignee_cannot_see_organization", problem.GetProperty("code").GetString());
        Assert.Equal(["assigneeUserId"], problem.ErrorKeys());
        Assert.Null((await app.TicketAsync(direct.Id)).AssigneeUserId);

        (await api.PostAsJsonAsync($"/api/v1/tickets/{underPartner.Id}/assign", new { assigneeUserId = partnerStaff })).EnsureSuccessStatusCode();
        Assert.Equal(partnerStaff, (await app.TicketAsync(underPartner.Id)).AssigneeUserId);
    }

    [Fact]
    public async Task Attachment_sizes_read_the_same_in_the_portal_and_the_console()
    {
        var member = await app.NewMemberAsync(ConsoleSupportSteps.Acme);
        var raised = await app.RaiseAsync(member, uploads: [new Upload("shot.png", SupportSteps.Png(1536)), new Upload("big.png", SupportSteps.Png(3 * 1024 * 1024 / 2))]);

        static List<string> Sizes(AngleSharp.Html.Dom.IHtmlDocument page) =>
            page.QuerySelectorAll("a[href*='/attachments/'] + span").Select(s => s.TextContent.Trim()).Order(StringComparer.Ordinal).ToList();
        var portal = Sizes(await (await app.SignedInAsync(member.Email, member.Password)).GetPageAsync($"/portal/support/{raised.Id}"));
        var console = Sizes(await (await app.SignedInAsync(ConsoleSupportSteps.Operator)).GetPageAsync($"/console/support/{raised.Id}"));

        // 1,536 B = 1.5 KB; 1,572,864 B = 1.5 MB.
        Assert.Equal(["(image/png, 1.5 KB)", "(image/png, 1.5 MB)"], portal);
        Assert.Equal(portal, console);
    }

    [Fact]
    public async Task An_executable_attached_to_a_reply_is_refused_and_nothing_is_written()
    {
        var raised = await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme));
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var page = await staff.GetPageAsync($"/console/support/{raised.Id}");
        var token = page.QuerySelector("#reply-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("See the tool attached."), "Body" },
            { new ByteArrayContent([(byte)'M', (byte)'Z', 0x90, 0x00, 0x03]), "Attachments", "fix.exe" },
        };

        var response = await staff.PostAsync($"/console/support/{raised.Id}?handler=Reply", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Http.Parse(await response.Content.ReadAsStringAsync()).Errors(), e => e.Contains("program or script", StringComparison.Ordinal));
        Assert.Single(await app.MessagesAsync(raised.Id));
        Assert.Equal(0, await app.DbAsync(db => db.TicketAttachments.IgnoreQueryFilters().CountAsync(a => a.TicketId == raised.Id)));
    }
}

public sealed class ConsoleSupportTestsOnSqlite(ClockedSqliteApp app) : ConsoleSupportTests(app, app.Clock), IClassFixture<ClockedSqliteApp>;

public sealed class ConsoleSupportTestsOnPostgres(ClockedPostgresApp app) : ConsoleSupportTests(app, app.Clock), IClassFixture<ClockedPostgresApp>;
