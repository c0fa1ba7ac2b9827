using Accrue.Domain.Accounts;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Features.Api;
using Accrue.Web.Features.Members;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Organizations;

public sealed record OrganizationResponse(
    Guid Id,
    string Name,
    string BillingName,
    Address BillingAddress,
    string Country,
    string Currency,
    string TimeZone,
    BillingMode BillingMode,
    OrganizationStatus Status,
    string? StatusReason,
    DateTimeOffset? StatusChangedAt,
    Guid? PartnerId,
    DateTimeOffset CreatedAt,
    int PaymentTermsDays)
{
    public static OrganizationResponse From(Organization o) =>
        new(o.Id, o.Name, o.BillingName, o.BillingAddress, o.Country, o.Currency, o.TimeZone, o.BillingMode, o.Status, o.StatusReason, o.StatusChangedAt, o.PartnerId, o.CreatedAt,
            o.PaymentTermsDays);
}

/// <summary>An organization and the Owner who is invited to it by email.</summary>
public sealed record CreateOrganizationRequest : OrganizationInput
{
    public NewOwnerInput? Owner { get; init; }
}

/// <summary>/api/v1/organizations: the same use cases as the console, through <see cref="OrganizationCommands"/>.</summary>
public static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organizations").WithTags("Organizations");

        group.MapGet("/", ListAsync).WithName("ListOrganizations")
            .WithSummary("Lists the organizations the key may see, oldest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetOrganization").WithSummary("One organization with its billing details, mode, currency and status.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateOrganization")
            .WithSummary("Creates an organization with its Owner, who gets an invitation email. Operator and partner keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateOrganization").WithSummary("Changes an organization's name, billing name and address, country, currency, time zone and billing mode. Operator and partner keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteOrganization")
            .WithSummary("Closes the organization (status Closed) with ?reason=…; its rows are kept. The same as POST …/close.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        MapStatusChange(group, "suspend", "SuspendOrganization",
            "Suspends the organization: its members keep a read-only portal. Refused (409, with a `blockers` list) while its wallet holds money or a bill is open.",
            (commands, id, reason, ct) => commands.SuspendAsync(id, reason, ct));
        MapStatusChange(group, "close", "CloseOrganization",
            "Closes the organization; its rows are kept and it can be reactivated. Refused (409, with a `blockers` list) while its wallet holds money or a bill is open.",
            (commands, id, reason, ct) => commands.CloseAsync(id, reason, ct));
        MapStatusChange(group, "reactivate", "ReactivateOrganization",
            "Makes a suspended or closed organization active again.",
            (commands, id, reason, ct) => commands.ReactivateAsync(id, reason, ct));
        group.MapPost("/{orgId:guid}/delete", async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> (
                Guid orgId, StatusChangeRequest request, AccountDeletion deletion, CancellationToken ct) =>
                Answer(await deletion.DeleteAsync(orgId, request.Reason, ct)))
            .WithName("DeleteClosedOrganization")
            .WithSummary("Deletes a closed organization for good (status Deleted): its members' personal data is erased, its invoices and credit notes are kept. Operator keys only. Refused with 409 `organization_not_closed` unless it is closed, or `organization_has_blockers` (with a `blockers` list) while its wallet holds money or a bill is open.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{orgId:guid}/export", ExportAsync)
            .WithName("ExportOrganization")
            .WithSummary("The organization's data as a ZIP: organization.json (organization, members, subscriptions, orders, invoices, payments, wallet entries, tickets) and every invoice and credit note PDF. Operator and partner keys; an organization's own key is refused (only its Owner, in the portal).")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<OrganizationResponse>>, ProblemHttpResult>> ListAsync(
        AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, string? q = null,
        OrganizationStatus? status = null, BillingMode? billingMode = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failed(out var failure)) return failure.ToProblem();

        var query = db.Organizations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim().ToLowerInvariant();
            query = query.Where(o => o.Name.ToLower().Contains(text));
        }
        if (status is { } s) query = query.Where(o => o.Status == s);
        if (billingMode is { } m) query = query.Where(o => o.BillingMode == m);
        return TypedResults.Ok(await query.PageAsync(page.Value, OrganizationResponse.From, ct));
    }

    private static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> GetAsync(Guid id, AccrueDb db, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        return organization is null
            ? Failure.NotFound("Organization").ToProblem()
            : TypedResults.Ok(OrganizationResponse.From(organization));
    }

    private static async Task<Results<Created<OrganizationResponse>, ProblemHttpResult>> CreateAsync(
        CreateOrganizationRequest request, OrganizationCommands organizations, CancellationToken ct)
    {
        var result = await organizations.CreateAsync(request, request.Owner ?? new NewOwnerInput("", ""), ct);
        if (result.Failed(out var failure)) return failure.ToProblem();
        var created = OrganizationResponse.From(result.Value);
        return TypedResults.Created($"/api/v1/organizations/{created.Id}", created);
    }

    private static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, OrganizationInput input, OrganizationCommands organizations, CancellationToken ct)
    {
        var result = await organizations.UpdateAsync(id, input, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.Ok(OrganizationResponse.From(result.Value));
    }

    private static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> DeleteAsync(
        Guid id, OrganizationCommands organizations, CancellationToken ct, string? reason = null) =>
        Answer(await organizations.CloseAsync(id, reason, ct));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(Guid orgId, AccountExport export, CancellationToken ct)
    {
        var result = await export.ExportAsync(orgId, ct);
        return result.Failed(out var failure) ? failure.ToProblem() : TypedResults.File(result.Value.Content, "application/zip", result.Value.FileName);
    }

    private static void MapStatusChange(RouteGroupBuilder group, string verb, string name, string summary,
        Func<OrganizationCommands, Guid, string?, CancellationToken, Task<Result<Organization>>> change) =>
        group.MapPost($"/{{orgId:guid}}/{verb}", async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> (
                Guid orgId, StatusChangeRequest request, OrganizationCommands organizations, CancellationToken ct) =>
                Answer(await change(organizations, orgId, request.Reason, ct)))
            .WithName(name).WithSummary(summary)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>A refusal to suspend or close carries its blockers as a top-level <c>blockers</c> array too.</summary>
    private static Results<Ok<OrganizationResponse>, ProblemHttpResult> Answer(Result<Organization> result)
    {
        if (!result.Failed(out var failure)) return TypedResults.Ok(OrganizationResponse.From(result.Value));
        var problem = failure.ToProblem();
        if (failure.Errors?.TryGetValue(AccountClosure.BlockersKey, out var blockers) == true)
            problem.ProblemDetails.Extensions[AccountClosure.BlockersKey] = blockers;
        return problem;
    }
}

/// <summary>Why the organization's status changes: required, at most 500 characters, shown to its members.</summary>
public sealed record StatusChangeRequest(string? Reason);
