using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Accounts;
using Accrue.Domain.Usage;
using Accrue.Web.Features.Usage;
using Accrue.Web.Infrastructure.Tenancy;
using Accrue.Web.Tests.Api;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accrue.Web.Tests.Usage;

/// <summary>Arranging unit balances through the app's own ledger, and reading what usage wrote.</summary>
public static class UnitsSteps
{
    /// <summary>Credits units as an adjustment, through <see cref="UnitLedger"/>, acting as the system.</summary>
    public static async Task CreditAsync(this AccrueApp app, Guid organizationId, string meter, long quantity)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(Actor.System);
        await scope.ServiceProvider.GetRequiredService<UnitLedger>()
            .CreditAsync(organizationId, meter, UnitEntryKind.Adjustment, quantity, "Test credit", uniqueKey: null);
    }

    public static Task<UnitBalance?> BalanceAsync(this AccrueApp app, Guid organizationId, string meter) =>
        app.DbAsync(db => db.UnitBalances.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(b => b.OrganizationId == organizationId && b.Meter == meter));

    public static async Task<(int Events, int Entries, long Sum)> UsageRowsAsync(this AccrueApp app, Guid organizationId) =>
        (await app.DbAsync(db => db.UsageEvents.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == organizationId)),
            await app.DbAsync(db => db.UnitEntries.IgnoreQueryFilters().CountAsync(e => e.OrganizationId == organizationId)),
            await app.DbAsync(db => db.UnitEntries.IgnoreQueryFilters().Where(e => e.OrganizationId == organizationId).SumAsync(e => e.Quantity)));

    public static Task<string> OwnerEmailAsync(this AccrueApp app, Guid organizationId) =>
        app.DbAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.OrganizationId == organizationId && m.Role == MemberRole.Owner).Select(m => m.Email).SingleAsync());

    public static object Event(string id, string meter, decimal quantity, DateTimeOffset? at = null, Guid? memberId = null, string? reference = null) =>
        new { id, meter, quantity, memberId, reference, timestamp = at ?? DateTimeOffset.UtcNow.AddMinutes(-1) };

    public static Task<HttpResponseMessage> SendUsageAsync(this HttpClient api, Guid organizationId, params object[] events) =>
        api.PostAsJsonAsync($"/api/v1/organizations/{organizationId}/usage", new { events });

    /// <summary>Sends a batch that must be answered 200 and returns each event's outcome (and reason), in order.</summary>
    public static async Task<(List<(string Outcome, string? Reason)> Results, JsonElement Body)> UsageAsync(this HttpClient api, Guid organizationId, params object[] events)
    {
        var response = await api.SendUsageAsync(organizationId, events);
        var body = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var results = body.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("outcome").GetString()!, r.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null))
            .ToList();
        return (results, body);
    }

    public static long BalanceIn(this JsonElement body, string meter) =>
        body.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("meter").GetString() == meter).GetProperty("balance").GetInt64();
}
