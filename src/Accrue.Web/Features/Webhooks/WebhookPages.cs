using System.ComponentModel.DataAnnotations;
using Accrue.Domain.Common;
using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Accrue.Web.Features.Webhooks;

/// <summary>The endpoint form of the portal and console pages.</summary>
public sealed class WebhookForm
{
    [Display(Name = "Endpoint URL")]
    public string? Url { get; set; }
    [Display(Name = "Description")]
    public string? Description { get; set; }
    public List<string> EventTypes { get; set; } = [];
    [Display(Name = "Enabled")]
    public bool Enabled { get; set; } = true;

    public WebhookEndpointInput ToInput() => new(Url, EventTypes, Description, Enabled);

    public static WebhookForm From(WebhookEndpoint e) => new() { Url = e.Url, Description = e.Description, EventTypes = [.. e.EventTypes], Enabled = e.Enabled };
}

/// <summary>
/// The endpoint list with its "add endpoint" form, shared by the portal (the member's organization)
/// and the console (the operator's endpoints). Everything goes through <see cref="WebhookCommands"/>.
/// </summary>
public abstract class WebhookListPageModel(WebhookCommands webhooks) : PageModel
{
    [BindProperty]
    public WebhookForm Input { get; set; } = new();
    public IReadOnlyList<WebhookEndpoint> Endpoints { get; private set; } = [];

    /// <summary>Whose endpoints: an organization, or null for the operator's.</summary>
    protected abstract Task<Guid?> OwnerAsync();
    protected abstract string DetailPath(Guid id);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var owner = await OwnerAsync();
        if (await webhooks.CheckAccessAsync(owner, ct) is { } failure) return failure.ToPageResult(this);
        await LoadAsync(owner, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var owner = await OwnerAsync();
        ModelState.Clear();
        var result = await webhooks.CreateAsync(owner, Input.ToInput(), ct);
        if (result.Failed(out var failure))
        {
            if (failure.Kind is FailureKind.NotFound or FailureKind.Forbidden) return failure.ToPageResult(this);
            failure.AddTo(ModelState);
            await LoadAsync(owner, ct);
            return Page();
        }
        TempData["Flash"] = "The endpoint was added. Copy its signing secret below to verify deliveries.";
        return Redirect(DetailPath(result.Value.Id));
    }

    private async Task LoadAsync(Guid? owner, CancellationToken ct) =>
        Endpoints = await webhooks.Endpoints(owner).AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync(ct);
}

/// <summary>One endpoint: edit, enable/disable, rotate the secret, delete, send a test event, and the delivery log with replay.</summary>
public abstract class WebhookDetailPageModel(WebhookCommands webhooks) : PageModel
{
    public const int LogSize = 50;

    [BindProperty]
    public WebhookForm Input { get; set; } = new();
    public WebhookEndpoint Endpoint { get; private set; } = null!;
    public IReadOnlyList<WebhookDelivery> Deliveries { get; private set; } = [];
    public ILookup<Guid, WebhookAttempt> Attempts { get; private set; } = Enumerable.Empty<WebhookAttempt>().ToLookup(a => a.DeliveryId);

    /// <summary>Whose endpoint <paramref name="id"/> must be: an organization, or null for the operator's; a failure when none may be seen.</summary>
    protected abstract Task<Result<Guid?>> OwnerAsync(Guid id, CancellationToken ct);
    protected abstract string ListPath { get; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found.Failed(out var failure)) return failure.ToPageResult(this);
        Input = WebhookForm.From(Endpoint);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) =>
        await ActAsync(id, (owner, c) => webhooks.UpdateAsync(owner, id, Input.ToInput(), c), "The endpoint was saved.", ct, keepForm: true);

    public async Task<IActionResult> OnPostToggleAsync(Guid id, bool enable, CancellationToken ct) =>
        await ActAsync(id, (owner, c) => webhooks.SetEnabledAsync(owner, id, enable, c), enable ? "The endpoint is enabled." : "The endpoint is disabled: no new events are sent to it.", ct);

    public async Task<IActionResult> OnPostRotateAsync(Guid id, CancellationToken ct) =>
        await ActAsync(id, (owner, c) => webhooks.RotateSecretAsync(owner, id, c), "A new signing secret was made; the old one no longer verifies.", ct);

    public async Task<IActionResult> OnPostTestAsync(Guid id, CancellationToken ct) =>
        await ActAsync(id, async (owner, c) => Map(await webhooks.SendTestAsync(owner, id, c)), "A test event was queued; it appears in the log below.", ct);

    public async Task<IActionResult> OnPostReplayAsync(Guid id, Guid deliveryId, CancellationToken ct) =>
        await ActAsync(id, async (owner, c) => Map(await webhooks.ReplayAsync(owner, id, deliveryId, c)), "The delivery will be sent again in a moment.", ct);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var owner = await OwnerAsync(id, ct);
        if (owner.Failed(out var forbidden)) return forbidden.ToPageResult(this);
        var result = await webhooks.DeleteAsync(owner.Value, id, ct);
        if (result.Failed(out var failure)) return failure.ToPageResult(this);
        TempData["Flash"] = $"The endpoint {result.Value.Url} was deleted with its delivery log.";
        return Redirect(ListPath);
    }

    private Result<WebhookEndpoint> Map(Result<WebhookDelivery> result) =>
        result.Failed(out var failure) ? failure : Endpoint;

    private async Task<IActionResult> ActAsync(Guid id, Func<Guid?, CancellationToken, Task<Result<WebhookEndpoint>>> action, string flash, CancellationToken ct, bool keepForm = false)
    {
        var found = await FindAsync(id, ct);
        if (found.Failed(out var missing)) return missing.ToPageResult(this);
        ModelState.Clear();
        var result = await action(found.Value, ct);
        if (result.Failed(out var failure))
        {
            if (failure.Kind is FailureKind.NotFound or FailureKind.Forbidden || !keepForm) return failure.ToPageResult(this);
            failure.AddTo(ModelState);
            await FindAsync(id, ct);
            return Page();
        }
        TempData["Flash"] = flash;
        return Redirect(Request.Path);
    }

    /// <summary>Loads the endpoint and its latest deliveries; the value is the owner the commands need.</summary>
    private async Task<Result<Guid?>> FindAsync(Guid id, CancellationToken ct)
    {
        var owner = await OwnerAsync(id, ct);
        if (owner.Failed(out var forbidden)) return forbidden;
        var found = await webhooks.FindAsync(owner.Value, id, ct);
        if (found.Failed(out var failure)) return failure;
        Endpoint = found.Value;
        Deliveries = await webhooks.Deliveries(id).OrderByDescending(d => d.CreatedAt).Take(LogSize).ToListAsync(ct);
        Attempts = (await webhooks.AttemptsAsync(Deliveries.Select(d => d.Id).ToList(), ct)).ToLookup(a => a.DeliveryId);
        return owner;
    }
}
