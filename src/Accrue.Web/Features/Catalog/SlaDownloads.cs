using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Catalog;

/// <summary>
/// A plan's SLA document (seed 000): members download it for plans their organization subscribes to,
/// staff from the console. Anything else is a 404, so a plan id reveals nothing about other customers.
/// </summary>
public static class SlaDownloads
{
    public static WebApplication MapSlaDownloads(this WebApplication app)
    {
        app.MapGet("/portal/sla/{planId:guid}", PortalAsync).RequireAuthorization(IdentitySetup.PortalPolicy).ExcludeFromDescription();
        app.MapGet("/console/catalog/plans/{planId:guid}/sla", ConsoleAsync).RequireAuthorization(IdentitySetup.ConsolePolicy).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> PortalAsync(Guid planId, AccrueDb db, CancellationToken ct)
    {
        // The tenant filter keeps this to the member's own organization's subscriptions.
        if (!db.Actor.IsInOrganization || !await db.Subscriptions.AnyAsync(s => s.PlanId == planId, ct)) return Results.NotFound();
        return await FileAsync(db, planId, ct);
    }

    private static Task<IResult> ConsoleAsync(Guid planId, AccrueDb db, CancellationToken ct) => FileAsync(db, planId, ct);

    private static async Task<IResult> FileAsync(AccrueDb db, Guid planId, CancellationToken ct)
    {
        var documentId = await db.Plans.Where(p => p.Id == planId).Select(p => p.SlaDocumentId).SingleOrDefaultAsync(ct);
        var document = documentId is { } id ? await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) : null;
        return document is null ? Results.NotFound() : Results.File(document.Content, document.ContentType, document.FileName);
    }
}
