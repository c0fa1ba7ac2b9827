using System.ComponentModel.DataAnnotations;

namespace Accrue.Web.Features.Account;

/// <summary>A new password typed twice: reset, invitation and change password share it.</summary>
public class NewPasswordInput
{
    [Required(ErrorMessage = "Enter a new password.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Type the new password again.")]
    [DataType(DataType.Password)]
    [Display(Name = "Confirm new password")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords don't match.")]
    public string ConfirmPassword { get; set; } = "";
}

public static class IdentityErrors
{
    /// <summary>Identity's password rule messages go beside the password field.</summary>
    public static void AddTo(this Microsoft.AspNetCore.Identity.IdentityResult result, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState, string field)
    {
        foreach (var error in result.Errors) modelState.AddModelError(field, error.Description);
    }
}
