namespace Accrue.Web.Infrastructure.Web;

public sealed class AppOptions
{
    /// <summary>The public address used in emails when there is no request to take it from (jobs). Example: https://billing.example.com</summary>
    public string? BaseUrl { get; set; }
}

/// <summary>Absolute links for emails: the configured public address, else the current request's.</summary>
public sealed class AppUrls(IHttpContextAccessor http, Microsoft.Extensions.Options.IOptions<AppOptions> options)
{
    public string Absolute(string pathAndQuery)
    {
        var baseUrl = options.Value.BaseUrl
            ?? (http.HttpContext?.Request is { } r ? $"{r.Scheme}://{r.Host}{r.PathBase}" : "http://localhost:5000");
        return baseUrl.TrimEnd('/') + pathAndQuery;
    }
}
