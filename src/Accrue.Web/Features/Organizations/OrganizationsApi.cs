using Accrue.Domain.Accounts;
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
    Guid? PartnerId,
    DateTimeOffset CreatedAt,
    int PaymentTermsDays)
{
    public static OrganizationResponse From(Organization o) =>
        new(o.Id, o.Name, o.BillingName, o.BillingAddress, o.Country, o.Currency, o.TimeZone, o.BillingMode, o.Status, o.PartnerId, o.CreatedAt,
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
        group.MapGet("/{id:guid}", GetAsync).WithName("GetOrganization")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateOrganization")
            .WithSummary("Creates an organization with its Owner, who gets an invitation email. Operator and partner keys only.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateOrganization")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", CloseAsync).WithName("CloseOrganization")
            .WithSummary("Closes the organization (status Closed); its rows are kept. Operator and partner keys only.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<Page<OrganizationResponse>>, ProblemHttpResult>> ListAsync(
        AccrueDb db, CancellationToken ct, int? limit = null, string? cursor = null, string? q = null,
        OrganizationStatus? status = null, BillingMode? billingMode = null)
    {
        var page = Paging.Parse(limit, cursor);
        if (page.Failure is { } failure) return failure.ToProblem();

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
            ? Accrue.Domain.Common.Failure.NotFound("Organization").ToProblem()
            : TypedResults.Ok(OrganizationResponse.From(organization));
    }

    private static async Task<Results<Created<OrganizationResponse>, ProblemHttpResult>> CreateAsync(
        CreateOrganizationRequest request, OrganizationCommands organizations, CancellationToken ct)
    {
        var result = await organizations.CreateAsync(request, request.Owner ?? new NewOwnerInput("", ""), ct);
        if (result.Failure is { } failure) return failure.ToProblem();
        var created = OrganizationResponse.From(result.Value!);
        return TypedResults.Created($"/api/v1/organizations/{created.Id}", created);
    }

    private static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, OrganizationInput input, OrganizationCommands organizations, CancellationToken ct)
    {
        var result = await organizations.UpdateAsync(id, input, ct);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(OrganizationResponse.From(result.Value!));
    }

    private static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> CloseAsync(
        Guid id, OrganizationCommands organizations, CancellationToken ct)
    {
        var result = await organizations.SetStatusAsync(id, OrganizationStatus.Closed, ct);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(OrganizationResponse.From(result.Value!));
    }
}
