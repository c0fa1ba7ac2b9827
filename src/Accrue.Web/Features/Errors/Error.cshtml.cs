using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Errors;

/// <summary>The page a browser sees for a 4xx or 5xx; the status stays the one the request earned.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public (string Title, string Text) Message => Status switch
    {
        400 => ("That didn't work", "The request was incomplete or malformed. Go back, check the form and try again."),
        401 => ("Please sign in", "Sign in to open this page."),
        403 => ("You can't open this page", "Your account doesn't have access to it. Ask your organization's Owner or an administrator."),
        404 => ("We couldn't find that page", "The link may be out of date, or what it pointed to was removed."),
        405 => ("That didn't work", "This page can't do that. Go back and use the page's own buttons."),
        409 => ("That changed in the meantime", "Someone or something changed it while you were looking. Reload the page and try again."),
        413 => ("That's too large", "The upload is larger than we accept. Try a smaller file."),
        429 => ("Too many tries", "Wait a few minutes, then try again."),
        < 500 => ("That didn't work", "Go back and try again."),
        _ => ("Something went wrong on our side", "It was logged and we'll look into it. Try again in a moment."),
    };

    public IActionResult OnGet() => Show();
    public IActionResult OnPost() => Show();

    private IActionResult Show()
    {
        // Only ever shown through re-execution; asked for directly, it is a page that doesn't exist.
        if (Response.StatusCode < 400) return NotFound();
        Status = Response.StatusCode;
        return Page();
    }
}
