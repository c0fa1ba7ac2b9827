using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.RemoteSupport;

/// <summary>POST /remote-support/end: the banner's "End session" button. Staff return to the organization in the console.</summary>
[Authorize]
public sealed class EndModel(RemoteSupportCommands remoteSupport) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var ended = await remoteSupport.EndAsync(HttpContext, ct);
        if (!ended.Succeeded) return Redirect("/");
        var session = ended.Value;
        TempData["Flash"] = $"The remote support session for {session.MemberName} has ended. You are back in the console.";
        return Redirect($"/console/organizations/{session.OrganizationId}");
    }
}
