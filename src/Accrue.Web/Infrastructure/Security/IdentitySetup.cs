using Accrue.Web.Data;
using Accrue.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Accrue.Web.Infrastructure.Security;

public static class IdentitySetup
{
    public const string ConsolePolicy = "Console";
    public const string PortalPolicy = "Portal";
    public const string ApiPolicy = "Api";
    public const string PasswordResetTokenProvider = "PasswordReset";

    public static WebApplicationBuilder AddAccrueIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Secure-only cookies in production (TLS there, directly or via a proxy's X-Forwarded-Proto);
        // over plain http on a developer's machine the browser would drop them.
        var secure = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddDataProtection().SetApplicationName("Accrue").PersistKeysToDbContext<AccrueDb>();

        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                // Identity's own lock-out (per account, anywhere) now counts only wrong two-factor codes, reached
                // with the right password; wrong passwords lock per account and source (SignInLockout).
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider;
            })
            .AddEntityFrameworkStores<AccrueDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<PasswordResetTokens>(PasswordResetTokenProvider)
            .AddTokenProvider<InvitationTokens>(InvitationTokens.Provider)
            .AddClaimsPrincipalFactory<UserClaimsFactory>();
        services.Configure<PasswordResetTokenOptions>(o => o.TokenLifespan = TimeSpan.FromMinutes(60));
        services.Configure<InvitationTokenOptions>(o => o.TokenLifespan = TimeSpan.FromDays(7));
        // Permission or access changes (which update the security stamp) reach signed-in sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddIdentityCookies(cookies =>
            {
                cookies.ApplicationCookie!.Configure(o =>
                {
                    o.LoginPath = "/account/signin";
                    o.LogoutPath = "/account/signout";
                    o.AccessDeniedPath = "/account/denied";
                    o.ExpireTimeSpan = TimeSpan.FromHours(8);
                    o.SlidingExpiration = true;
                    o.Cookie.Name = "accrue.auth";
                    o.Cookie.HttpOnly = true;
                    o.Cookie.SecurePolicy = secure;
                    o.Cookie.SameSite = SameSiteMode.Lax;
                });
                cookies.TwoFactorUserIdCookie!.Configure(o => o.Cookie.SecurePolicy = secure);
                cookies.TwoFactorRememberMeCookie!.Configure(o => o.Cookie.SecurePolicy = secure);
                cookies.ExternalCookie!.Configure(o => o.Cookie.SecurePolicy = secure);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicy, p => p.RequireClaim(AccrueClaims.Kind, nameof(ActorKind.OperatorStaff), nameof(ActorKind.PartnerStaff)))
            .AddPolicy(PortalPolicy, p => p.RequireClaim(AccrueClaims.Kind, nameof(ActorKind.Member)))
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser());

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "accrue.af";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.HttpOnly = true;
        });
        UserSessions.AddTo(services);
        services.Configure<SignInLockoutOptions>(builder.Configuration.GetSection("Security"));
        services.AddScoped<SignInLockout>();
        services.AddSingleton(new SignInThrottle(
            builder.Configuration.GetValue("Security:SignInPerIpPerMinute", 30),
            builder.Configuration.GetValue("Security:SignInPerAccountPerMinute", 10)));
        return builder;
    }
}

public sealed class PasswordResetTokenOptions : DataProtectionTokenProviderOptions
{
    public PasswordResetTokenOptions() => Name = IdentitySetup.PasswordResetTokenProvider;
}

/// <summary>Reset links live 60 minutes, and die when used: resetting changes the security stamp they are bound to.</summary>
public sealed class PasswordResetTokens(IDataProtectionProvider protection, IOptions<PasswordResetTokenOptions> options, ILogger<DataProtectorTokenProvider<User>> logger)
    : DataProtectorTokenProvider<User>(protection, options, logger);

public sealed class InvitationTokenOptions : DataProtectionTokenProviderOptions
{
    public InvitationTokenOptions() => Name = InvitationTokens.Provider;
}

/// <summary>Invitation links live 7 days and die when the password is set.</summary>
public sealed class InvitationTokens(IDataProtectionProvider protection, IOptions<InvitationTokenOptions> options, ILogger<DataProtectorTokenProvider<User>> logger)
    : DataProtectorTokenProvider<User>(protection, options, logger)
{
    public const string Provider = "Invitation";
}
