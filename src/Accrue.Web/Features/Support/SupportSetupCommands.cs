using Accrue.Domain.Common;
using Accrue.Domain.Support;
using Accrue.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Support;

/// <summary>A support team as the console form and the API send it: members are staff user ids.</summary>
public sealed class SupportTeamInput
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public List<Guid> MemberUserIds { get; set; } = [];
}

/// <summary>A ticket type as the console form and the API send it.</summary>
public sealed class TicketTypeInput
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public Guid TeamId { get; set; }
    public TicketPriority DefaultPriority { get; set; } = TicketPriority.Normal;
    public bool Active { get; set; } = true;
}

/// <summary>A staff sign-in that can join a team or be given a ticket.</summary>
public sealed record StaffUser(Guid Id, string Name, string Email, bool IsPartnerStaff);

/// <summary>What removing a ticket type did: types that tickets use are deactivated, never deleted.</summary>
public enum TypeRemoval { Deleted, Deactivated }

/// <summary>
/// How the support desk is set up (seed 004): the teams of staff that answer tickets and the types a
/// customer chooses from, each with its responsible team and default priority. Only the operator's
/// staff and operator API keys change them; the console pages and the API both come here.
/// </summary>
public sealed class SupportSetupCommands(AccrueDb db)
{
    private const string OperatorOnly = "Only the operator's staff change support teams and ticket types.";

    /// <summary>Every staff sign-in, by name: operator staff first.</summary>
    public Task<IReadOnlyList<StaffUser>> StaffAsync(CancellationToken ct = default) => StaffAsync(db.Users, ct);

    /// <summary>The staff who can open the organization's tickets: the operator's, and its partner's (if it has one).</summary>
    public Task<IReadOnlyList<StaffUser>> StaffWhoSeeAsync(Guid organizationId, CancellationToken ct = default) =>
        StaffAsync(StaffWhoSee(db, organizationId), ct);

    public static IQueryable<User> StaffWhoSee(AccrueDb db, Guid organizationId) =>
        db.Users.Where(u => u.PartnerId == null
            || u.PartnerId == db.Organizations.IgnoreQueryFilters().Where(o => o.Id == organizationId).Select(o => o.PartnerId).FirstOrDefault());

    private static async Task<IReadOnlyList<StaffUser>> StaffAsync(IQueryable<User> users, CancellationToken ct) =>
        await users.AsNoTracking().Where(u => u.Kind == UserKind.Staff)
            .OrderBy(u => u.PartnerId != null).ThenBy(u => u.DisplayName)
            .Select(u => new StaffUser(u.Id, u.DisplayName, u.Email!, u.PartnerId != null))
            .ToListAsync(ct);

    public async Task<Result<SupportTeam>> CreateTeamAsync(SupportTeamInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        if (await ValidateTeamAsync(null, input, ct) is { } invalid) return invalid;
        var team = new SupportTeam { Name = input.Name!.Trim(), Email = CleanEmail(input.Email) };
        team.Members.AddRange(input.MemberUserIds.Distinct().Select(u => new SupportTeamMember { TeamId = team.Id, UserId = u }));
        db.SupportTeams.Add(team);
        await db.SaveChangesAsync(ct);
        return team;
    }

    public async Task<Result<SupportTeam>> UpdateTeamAsync(Guid id, SupportTeamInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var team = await db.SupportTeams.Include(t => t.Members).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return Failure.NotFound("Support team");
        if (await ValidateTeamAsync(id, input, ct) is { } invalid) return invalid;
        team.Name = input.Name!.Trim();
        team.Email = CleanEmail(input.Email);
        var wanted = input.MemberUserIds.Distinct().ToHashSet();
        team.Members.RemoveAll(m => !wanted.Contains(m.UserId));
        foreach (var userId in wanted.Where(u => team.Members.All(m => m.UserId != u)))
            team.Members.Add(new SupportTeamMember { TeamId = team.Id, UserId = userId });
        await db.SaveChangesAsync(ct);
        return team;
    }

    /// <summary>A team goes only when no ticket type and no ticket names it: tickets keep their responsible team.</summary>
    public async Task<Result<SupportTeam>> DeleteTeamAsync(Guid id, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var team = await db.SupportTeams.Include(t => t.Members).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (team is null) return Failure.NotFound("Support team");
        var types = await db.TicketTypes.CountAsync(t => t.TeamId == id, ct);
        var tickets = await db.Tickets.IgnoreQueryFilters().CountAsync(t => t.TeamId == id, ct);
        if (types > 0 || tickets > 0)
            return Failure.Conflict($"“{team.Name}” answers {types} ticket type(s) and {tickets} ticket(s); give those to another team before deleting it.");
        db.SupportTeams.Remove(team);
        await db.SaveChangesAsync(ct);
        return team;
    }

    public async Task<Result<TicketType>> CreateTypeAsync(TicketTypeInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        if (await ValidateTypeAsync(null, input, ct) is { } invalid) return invalid;
        var type = new TicketType { Name = "" };
        Apply(type, input);
        db.TicketTypes.Add(type);
        await db.SaveChangesAsync(ct);
        return type;
    }

    /// <summary>Changes apply to new tickets; tickets already raised keep their team and priority.</summary>
    public async Task<Result<TicketType>> UpdateTypeAsync(Guid id, TicketTypeInput input, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var type = await db.TicketTypes.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return Failure.NotFound("Ticket type");
        if (await ValidateTypeAsync(id, input, ct) is { } invalid) return invalid;
        Apply(type, input);
        await db.SaveChangesAsync(ct);
        return type;
    }

    /// <summary>Deletes a type no ticket uses; a type with tickets is deactivated instead, so their history stays whole.</summary>
    public async Task<Result<TypeRemoval>> RemoveTypeAsync(Guid id, CancellationToken ct = default)
    {
        if (db.Actor.RefuseUnlessOperator(OperatorOnly) is { } refused) return refused;
        var type = await db.TicketTypes.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (type is null) return Failure.NotFound("Ticket type");
        if (await db.Tickets.IgnoreQueryFilters().AnyAsync(t => t.TypeId == id, ct))
        {
            type.Active = false;
            await db.SaveChangesAsync(ct);
            return TypeRemoval.Deactivated;
        }
        db.TicketTypes.Remove(type);
        await db.SaveChangesAsync(ct);
        return TypeRemoval.Deleted;
    }

    private async Task<Failure?> ValidateTeamAsync(Guid? id, SupportTeamInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (SupportTeam.Validate(input.Name, input.Email) is { Errors: { } fields }) Merge(errors, fields);
        // Names are unique regardless of case, so "Billing" and "billing" are not two teams.
        var lower = Lower(input.Name);
        if (!errors.Any && await db.SupportTeams.AnyAsync(t => t.Id != id && t.Name.ToLower() == lower, ct))
            errors.Add(nameof(SupportTeamInput.Name), $"A team called “{input.Name!.Trim()}” already exists.");
        var ids = input.MemberUserIds.Distinct().ToList();
        if (ids.Count > 0 && await db.Users.CountAsync(u => ids.Contains(u.Id) && u.Kind == UserKind.Staff, ct) != ids.Count)
            errors.Add(nameof(SupportTeamInput.MemberUserIds), "Choose members from the staff list.");
        return errors.Any ? errors.ToFailure() : null;
    }

    private async Task<Failure?> ValidateTypeAsync(Guid? id, TicketTypeInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (TicketType.Validate(input.Name, input.Description) is { Errors: { } fields }) Merge(errors, fields);
        var lower = Lower(input.Name);
        if (!errors.Any && await db.TicketTypes.AnyAsync(t => t.Id != id && t.Name.ToLower() == lower, ct))
            errors.Add(nameof(TicketTypeInput.Name), $"A ticket type called “{input.Name!.Trim()}” already exists.");
        if (!await db.SupportTeams.AnyAsync(t => t.Id == input.TeamId, ct))
            errors.Add(nameof(TicketTypeInput.TeamId), "Choose the team that answers this type.");
        if (!Enum.IsDefined(input.DefaultPriority))
            errors.Add(nameof(TicketTypeInput.DefaultPriority), "Choose a priority.");
        return errors.Any ? errors.ToFailure() : null;
    }

    private static void Merge(FieldErrors errors, IReadOnlyDictionary<string, string[]> fields)
    {
        foreach (var (field, messages) in fields) foreach (var message in messages) errors.Add(field, message);
    }

    private static string Lower(string? name) => (name ?? "").Trim().ToLowerInvariant();

    private static string? CleanEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim();

    private static void Apply(TicketType type, TicketTypeInput input)
    {
        type.Name = input.Name!.Trim();
        type.Description = input.Description?.Trim() ?? "";
        type.TeamId = input.TeamId;
        type.DefaultPriority = input.DefaultPriority;
        type.Active = input.Active;
    }
}
