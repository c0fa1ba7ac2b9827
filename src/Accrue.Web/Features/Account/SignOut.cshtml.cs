using Accrue.Web.Data;
using Accrue.Web.Features.RemoteSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Account;

public sealed class SignOutModel(SignInManager<User> signIn, RemoteSupportCommands remoteSupport) : PageModel
{
    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync()
    {
        await remoteSupport.EndOnSignOutAsync(HttpContext.RequestAborted);
        await signIn.SignOutAsync();
        TempData["Flash"] = "You are signed out.";
        return Redirect("/account/signin");
    }
}
