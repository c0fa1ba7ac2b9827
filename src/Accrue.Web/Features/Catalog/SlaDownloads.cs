using Accrue.Domain.Catalog;
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

    private static async Task<IResult> PortalAsync(Guid planId, AccrueDb db, CancellationToken ct) =>
        db.Actor.IsInOrganization && await FindAsync(db, planId, ct) is { } document ? File(document) : Results.NotFound();

    private static async Task<IResult> ConsoleAsync(Guid planId, AccrueDb db, CancellationToken ct) =>
        await FindAsync(db, planId, ct) is { } document ? File(document) : Results.NotFound();

    private static IResult File(Document document) => Results.File(document.Content, document.ContentType, document.FileName);

    /// <summary>
    /// The plan's SLA document if the actor may download it: staff any plan's, a member or an organization's
    /// key only a plan the organization subscribes to (the tenant filter keeps the subscriptions to its own).
    /// </summary>
    public static async Task<Document?> FindAsync(AccrueDb db, Guid planId, CancellationToken ct)
    {
        if (db.Actor.IsInOrganization && !await db.Subscriptions.AnyAsync(s => s.PlanId == planId, ct)) return null;
        var documentId = await db.Plans.Where(p => p.Id == planId).Select(p => p.SlaDocumentId).SingleOrDefaultAsync(ct);
        return documentId is { } id ? await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct) : null;
    }
}
