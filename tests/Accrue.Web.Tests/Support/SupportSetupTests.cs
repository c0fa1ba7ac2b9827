using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Support;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Support;

public abstract class SupportSetupTests(AccrueApp app)
{
    private Task<(int Teams, int Members, int Types)> RowsAsync() => app.DbAsync(async db =>
        (await db.SupportTeams.CountAsync(), await db.SupportTeamMembers.CountAsync(), await db.TicketTypes.CountAsync()));

    private Task<SupportTeam?> TeamAsync(string name) =>
        app.DbAsync(db => db.SupportTeams.AsNoTracking().Include(t => t.Members).SingleOrDefaultAsync(t => t.Name == name));

    private Task<TicketType?> TypeAsync(string name) => app.DbAsync(db => db.TicketTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name));

    [Fact]
    public async Task Operator_staff_create_and_edit_a_team_with_members_from_the_staff_list()
    {
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var sam = await app.UserIdAsync("support@demo-telecom.test");
        var dana = await app.UserIdAsync(ConsoleSupportSteps.Operator);
        var name = Http.Unique("Field Team");
        var page = await staff.GetPageAsync("/console/support/teams");
        Assert.Contains(page.QuerySelectorAll("#team-form input[name='Input.MemberUserIds']"), i => i.GetAttribute("value") == sam.ToString());

        var created = await staff.PostFormAsync("/console/support/teams", new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Email"] = "field@example.test" }
            .Append(new("Input.MemberUserIds", sam.ToString())).ToDictionary(), "/console/support/teams");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var team = (await TeamAsync(name))!;
        Assert.Equal("field@example.test", team.Email);
        Assert.Equal(new[] { sam }, team.Members.Select(m => m.UserId));

        var values = new List<KeyValuePair<string, string>> { new("Input.Name", name + " 2"), new("Input.Email", ""), new("Input.MemberUserIds", dana.ToString()), new("Input.MemberUserIds", sam.ToString()) };
        var token = (await staff.GetPageAsync($"/console/support/teams?edit={team.Id}")).QuerySelector("#team-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        values.Add(new("__RequestVerificationToken", token));
        var edited = await staff.PostAsync($"/console/support/teams?edit={team.Id}", new FormUrlEncodedContent(values));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        team = (await TeamAsync(name + " 2"))!;
        Assert.Null(team.Email);
        Assert.Equal(new[] { dana, sam }.Order(), team.Members.Select(m => m.UserId).Order());
        Assert.Contains(name + " 2", (await staff.GetPageAsync("/console/support/teams")).QuerySelector("#support-teams")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "", "Name")]
    [InlineData("Customer Care", "", "already exists")]
    [InlineData("customer care", "", "already exists")]
    [InlineData("Some team", "not-an-email", "valid email")]
    public async Task Bad_team_input_gets_a_clear_error_and_writes_nothing(string name, string email, string error)
    {
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var before = await RowsAsync();

        var response = await staff.SubmitFormAsync("/console/support/teams", new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Email"] = email }, "#team-form");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Http.Parse(await response.Content.ReadAsStringAsync()).Errors(), e => e.Contains(error, StringComparison.Ordinal));
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task A_team_that_answers_a_type_is_not_deleted_and_an_unused_one_is()
    {
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var care = await app.TeamIdAsync("Customer Care");
        var refused = await staff.PostFormAsync($"/console/support/teams?handler=delete&id={care}", new Dictionary<string, string>(), "/console/support/teams");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(Http.Parse(await refused.Content.ReadAsStringAsync()).Errors(), e => e.Contains("another team before deleting", StringComparison.Ordinal));
        Assert.NotNull(await TeamAsync("Customer Care"));

        var name = Http.Unique("Spare");
        await staff.SubmitFormAsync("/console/support/teams", new Dictionary<string, string> { ["Input.Name"] = name }, "#team-form");
        var spare = (await TeamAsync(name))!;
        var deleted = await staff.PostFormAsync($"/console/support/teams?handler=delete&id={spare.Id}", new Dictionary<string, string>(), "/console/support/teams");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await TeamAsync(name));
    }

    [Fact]
    public async Task Operator_staff_create_and_edit_a_ticket_type_and_a_used_type_is_deactivated_not_deleted()
    {
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var billing = await app.TeamIdAsync("Billing");
        var name = Http.Unique("Porting request");

        var created = await staff.SubmitFormAsync("/console/support/types", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Description"] = "Moving a number to us.", ["Input.TeamId"] = billing.ToString(), ["Input.DefaultPriority"] = "Urgent",
        }, "#type-form");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var type = (await TypeAsync(name))!;
        Assert.Equal(("Moving a number to us.", billing, TicketPriority.Urgent, true), (type.Description, type.TeamId, type.DefaultPriority, type.Active));

        var care = await app.TeamIdAsync("Customer Care");
        var edited = await staff.SubmitFormAsync($"/console/support/types?edit={type.Id}", new Dictionary<string, string>
        {
            ["Input.TeamId"] = care.ToString(), ["Input.DefaultPriority"] = "Low",
        }, "#type-form");
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        type = (await TypeAsync(name))!;
        Assert.Equal((care, TicketPriority.Low), (type.TeamId, type.DefaultPriority));

        await app.RaiseAsync(await app.NewMemberAsync(ConsoleSupportSteps.Acme), name);
        var removed = await staff.PostFormAsync($"/console/support/types?handler=remove&id={type.Id}", new Dictionary<string, string>(), "/console/support/types");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.False((await TypeAsync(name))!.Active);

        var unused = Http.Unique("Unused");
        await staff.SubmitFormAsync("/console/support/types", new Dictionary<string, string> { ["Input.Name"] = unused, ["Input.TeamId"] = care.ToString() }, "#type-form");
        var unusedId = (await TypeAsync(unused))!.Id;
        Assert.Equal(HttpStatusCode.Redirect, (await staff.PostFormAsync($"/console/support/types?handler=remove&id={unusedId}", new Dictionary<string, string>(), "/console/support/types")).StatusCode);
        Assert.Null(await TypeAsync(unused));
    }

    [Theory]
    [InlineData("", true, "Name")]
    [InlineData("Complaint", true, "already exists")]
    [InlineData("New kind", false, "Choose the team")]
    public async Task Bad_ticket_type_input_gets_a_clear_error_and_writes_nothing(string name, bool knownTeam, string error)
    {
        var staff = await app.SignedInAsync(ConsoleSupportSteps.Operator);
        var before = await RowsAsync();
        var team = knownTeam ? await app.TeamIdAsync("Billing") : Guid.NewGuid();

        var response = await staff.SubmitFormAsync("/console/support/types", new Dictionary<string, string> { ["Input.Name"] = name, ["Input.TeamId"] = team.ToString() }, "#type-form");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Http.Parse(await response.Content.ReadAsStringAsync()).Errors(), e => e.Contains(error, StringComparison.Ordinal));
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task Partner_staff_see_teams_and_types_but_cannot_change_them()
    {
        var partner = await app.SignedInAsync(ConsoleSupportSteps.PartnerStaff);
        var before = await RowsAsync();
        var page = await partner.GetPageAsync("/console/support/types");
        Assert.Null(page.QuerySelector("#type-form"));
        Assert.NotNull(page.QuerySelector("#ticket-types"));

        var type = await partner.PostFormAsync("/console/support/types", new Dictionary<string, string>
        {
            ["Input.Name"] = Http.Unique("Partner type"), ["Input.TeamId"] = (await app.TeamIdAsync("Billing")).ToString(), ["Input.DefaultPriority"] = "Normal",
        }, "/console/support/types");
        Assert.Equal(HttpStatusCode.Forbidden, type.StatusCode);
        var team = await partner.PostFormAsync("/console/support/teams", new Dictionary<string, string> { ["Input.Name"] = Http.Unique("Partner team") }, "/console/support/teams");
        Assert.Equal(HttpStatusCode.Forbidden, team.StatusCode);
        var delete = await partner.PostFormAsync($"/console/support/teams?handler=delete&id={await app.TeamIdAsync("Billing")}", new Dictionary<string, string>(), "/console/support/teams");
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task The_api_lists_creates_and_updates_teams_and_types_with_operator_keys()
    {
        var api = await app.OperatorApiAsync();
        var sam = await app.UserIdAsync("support@demo-telecom.test");
        var name = Http.Unique("API team");

        var created = await api.PostAsJsonAsync("/api/v1/support/teams", new { name, email = "api@example.test", memberUserIds = new[] { sam } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var team = await created.Content.ReadFromJsonAsync<JsonElement>();
        var teamId = team.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/support/teams/{teamId}", created.Headers.Location?.OriginalString);
        Assert.Equal(new[] { sam }, team.GetProperty("memberUserIds").EnumerateArray().Select(e => e.GetGuid()));

        var updated = await api.PutAsJsonAsync($"/api/v1/support/teams/{teamId}", new { name, memberUserIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Empty((await TeamAsync(name))!.Members);

        var typeName = Http.Unique("API type");
        var type = await api.PostAsJsonAsync("/api/v1/support/ticket-types", new { name = typeName, teamId, defaultPriority = "High" });
        Assert.Equal(HttpStatusCode.Created, type.StatusCode);
        var typeId = (await type.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var deactivated = await api.PutAsJsonAsync($"/api/v1/support/ticket-types/{typeId}", new { name = typeName, teamId, defaultPriority = "High", active = false });
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.False((await deactivated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean());

        var teams = (await api.GetFromJsonAsync<JsonElement>("/api/v1/support/teams")).GetProperty("items");
        Assert.Contains(teams.EnumerateArray(), t => t.GetProperty("name").GetString() == name);
        var types = (await api.GetFromJsonAsync<JsonElement>("/api/v1/support/ticket-types")).GetProperty("items");
        Assert.Contains(types.EnumerateArray(), t => t.GetProperty("name").GetString() == typeName && t.GetProperty("defaultPriority").GetString() == "High");
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync($"/api/v1/support/teams/{Guid.NewGuid()}", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task The_api_refuses_bad_input_and_other_keys_and_writes_nothing()
    {
        var api = await app.OperatorApiAsync();
        var before = await RowsAsync();

        async Task ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (field is not null) Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(field), out _), field);
        }

        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/support/teams", new { name = "" }), HttpStatusCode.BadRequest, "Name");
        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/support/teams", new { name = "Billing" }), HttpStatusCode.BadRequest, "Name");
        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/support/teams", new { name = Http.Unique("T"), email = "nope" }), HttpStatusCode.BadRequest, "Email");
        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/support/teams", new { name = Http.Unique("T"), memberUserIds = new[] { Guid.NewGuid() } }), HttpStatusCode.BadRequest, "MemberUserIds");
        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/support/ticket-types", new { name = Http.Unique("T"), teamId = Guid.NewGuid() }), HttpStatusCode.BadRequest, "TeamId");
        await ProblemAsync(await api.PostAsJsonAsync("/api/v1/support/ticket-types", new { name = "Complaint", teamId = await app.TeamIdAsync("Billing") }), HttpStatusCode.BadRequest, "Name");

        var partner = await app.PartnerApiAsync();
        await ProblemAsync(await partner.PostAsJsonAsync("/api/v1/support/ticket-types", new { name = Http.Unique("T"), teamId = await app.TeamIdAsync("Billing") }), HttpStatusCode.Forbidden, null);
        await ProblemAsync(await partner.PostAsJsonAsync("/api/v1/support/teams", new { name = Http.Unique("T") }), HttpStatusCode.Forbidden, null);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/support/teams")).StatusCode);
        var organization = await app.OrganizationApiAsync();
        await ProblemAsync(await organization.GetAsync("/api/v1/support/teams"), HttpStatusCode.Forbidden, null);
        await ProblemAsync(await organization.PostAsJsonAsync("/api/v1/support/teams", new { name = Http.Unique("T") }), HttpStatusCode.Forbidden, null);
        Assert.Equal(before, await RowsAsync());
    }
}

public sealed class SupportSetupTestsOnSqlite(SqliteApp app) : SupportSetupTests(app), IClassFixture<SqliteApp>;

public sealed class SupportSetupTestsOnPostgres(PostgresApp app) : SupportSetupTests(app), IClassFixture<PostgresApp>;
