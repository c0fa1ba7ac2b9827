using Accrue.Domain.Common;
using Accrue.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Accrue.Web.Features.Console.Catalog;

/// <summary>
/// What the catalog pages share: partner staff see the catalog but only operator staff get its forms,
/// and a failure from <see cref="Features.Catalog.CatalogCommands"/> goes beside the fields it names.
/// </summary>
public abstract class CatalogPageModel(AccrueDb db) : PageModel
{
    protected AccrueDb Db => db;

    public bool CanEdit => db.Actor.IsOperator;

    /// <summary>
    /// The use cases validate every field; MVC's implicit checks on empty values would only repeat
    /// them. What remains are values that could not be read at all ("abc" for a price).
    /// </summary>
    protected bool HasUnreadableValues()
    {
        foreach (var (key, entry) in ModelState.ToList())
            if (string.IsNullOrEmpty(entry?.AttemptedValue)) ModelState.Remove(key);
        return !ModelState.IsValid;
    }

    /// <summary>
    /// Shows <paramref name="failure"/> on the page: forbidden as a 403 with its message, not found as
    /// a 404; field errors under their form names (<paramref name="fieldName"/> maps a command's key).
    /// </summary>
    protected IActionResult Fail(Failure failure, Func<string, string> fieldName)
    {
        switch (failure.Kind)
        {
            case FailureKind.NotFound:
                return NotFound();
            case FailureKind.Forbidden:
                ModelState.AddModelError(string.Empty, failure.Message);
                HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Page();
            default:
                if (failure.Errors is null || failure.Errors.Count == 0) ModelState.AddModelError(string.Empty, failure.Message);
                else
                    foreach (var (field, messages) in failure.Errors)
                        foreach (var message in messages) ModelState.AddModelError(fieldName(field), message);
                if (failure.Kind == FailureKind.Conflict) HttpContext.Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }

    protected IActionResult Fail(Failure failure, string prefix = "Input") => Fail(failure, f => $"{prefix}.{f}");
}
