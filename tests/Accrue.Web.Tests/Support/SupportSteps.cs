using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Accrue.Domain.Support;
using Accrue.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Tests.Support;

/// <summary>Ticket types with a team of their own (a unique mailbox, so maildev is filtered reliably), multipart forms, sample files.</summary>
public static class SupportSteps
{
    public sealed record Desk(Guid TypeId, Guid TeamId, string TypeName, string TeamEmail);

    public sealed record Counts(int Tickets, int Messages, int Attachments, int Outbox);

    /// <summary>A PNG signature and a few bytes: what the attachment policy recognises as image/png.</summary>
    public static byte[] Png(int size = 64)
    {
        var bytes = new byte[size];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        for (var i = 8; i < size; i++) bytes[i] = (byte)(i % 251);
        return bytes;
    }

    public static async Task<Desk> NewDeskAsync(this AccrueApp app)
    {
        var email = $"{Http.Unique("team")}@desk.test";
        var name = Http.Unique("Type");
        return await app.DbAsync(async db =>
        {
            var team = new SupportTeam { Name = Http.Unique("Team"), Email = email };
            var type = new TicketType { Name = name, Description = "Made for one test.", TeamId = team.Id, DefaultPriority = TicketPriority.High };
            db.SupportTeams.Add(team);
            db.TicketTypes.Add(type);
            await db.SaveChangesAsync();
            return new Desk(type.Id, team.Id, name, email);
        });
    }

    public static Task<Counts> CountsAsync(this AccrueApp app) => app.DbAsync(async db => new Counts(
        await db.Tickets.IgnoreQueryFilters().CountAsync(),
        await db.TicketMessages.IgnoreQueryFilters().CountAsync(),
        await db.TicketAttachments.IgnoreQueryFilters().CountAsync(),
        await db.Outbox.IgnoreQueryFilters().CountAsync()));

    public static Task<long> LastNumberAsync(this AccrueApp app) =>
        app.DbAsync(async db => await db.Tickets.IgnoreQueryFilters().MaxAsync(t => (long?)t.Number) ?? 0);

    /// <summary>Posts a multipart form (fields and files named Attachments) with the antiforgery token of <paramref name="tokenSource"/>.</summary>
    public static async Task<HttpResponseMessage> PostMultipartAsync(this HttpClient client, string url, IDictionary<string, string> fields,
        IEnumerable<(string Name, byte[] Content)>? files = null, string? tokenSource = null)
    {
        var page = await client.GetPageAsync(tokenSource ?? url);
        // The token of the upload form itself, so a form that forgets its own token fails here as in a browser.
        var token = page.QuerySelector("main form[enctype='multipart/form-data'] input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new Xunit.Sdk.XunitException($"No antiforgery token on {tokenSource ?? url}");
        var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields) content.Add(new StringContent(value), name);
        foreach (var (name, bytes) in files ?? [])
        {
            var file = new ByteArrayContent(bytes);
            // What a browser might claim; the policy goes by the content.
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "Attachments", name);
        }
        return await client.PostAsync(url, content);
    }

    /// <summary>Raises a ticket through the portal form; returns the ticket id from the redirect.</summary>
    public static async Task<Guid> RaiseInPortalAsync(this HttpClient member, Guid typeId, string subject, string body = "It stopped working this morning.",
        IEnumerable<(string Name, byte[] Content)>? files = null)
    {
        var response = await member.PostMultipartAsync("/portal/support/new", new Dictionary<string, string>
        {
            ["TypeId"] = typeId.ToString(), ["Subject"] = subject, ["Body"] = body, ["SubscriptionId"] = "",
        }, files);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new Xunit.Sdk.XunitException($"Raise: {(int)response.StatusCode}\n{(await response.Content.ReadAsStringAsync())[..2000]}");
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/portal/support/", location, StringComparison.Ordinal);
        return Guid.Parse(location["/portal/support/".Length..]);
    }

    public static async Task<JsonElement> RaiseByApiAsync(this HttpClient api, Guid organizationId, Guid typeId, string subject, params (string Name, byte[] Content)[] files)
    {
        var response = await api.PostAsJsonAsync($"/api/v1/organizations/{organizationId}/tickets", new
        {
            typeId, subject, body = "Raised from our ERP.",
            attachments = files.Select(f => new { fileName = f.Name, contentBase64 = Convert.ToBase64String(f.Content) }),
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Raise by API: {(int)response.StatusCode}\n{text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
