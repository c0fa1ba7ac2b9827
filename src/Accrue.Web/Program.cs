using Accrue.Web;
using Accrue.Web.Data;
using Accrue.Web.Features;
using Accrue.Web.Features.Errors;
using Accrue.Web.Infrastructure.Email;
using Accrue.Web.Infrastructure.Security;
using Accrue.Web.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddDatabase();
builder.AddAccrueIdentity();
builder.AddEmail();
builder.AddWeb();
builder.AddFeatures();

var app = builder.Build();

if (await Cli.TryRunAsync(app, args)) return;
await Cli.PrepareDatabaseAsync(app);

app.UseForwardedHeadersAndHttps();
app.UseErrorPages();
app.UseRunToCompletion();
app.Use(TextInput.ReadFormsLenientlyAsync);
app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapFeatures();
app.Lifetime.ApplicationStarted.Register(() => Cli.PrintWelcome(app));

await app.RunAsync();

public partial class Program;
