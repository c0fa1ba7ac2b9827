using System.Net;
using System.Text.Json;
using Accrue.Web.Tests.Infrastructure;

namespace Accrue.Web.Tests.Api;

public abstract class OpenApiDocumentTests(AccrueApp app)
{
    [Fact]
    public async Task The_document_lists_every_operation_behind_the_bearer_scheme()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        Assert.Equal(["get", "post"], Operations(paths, "/api/v1/organizations"));
        Assert.Equal(["delete", "get", "put"], Operations(paths, "/api/v1/organizations/{id}"));
        Assert.Equal(["get", "post"], Operations(paths, "/api/v1/organizations/{orgId}/members"));
        Assert.Equal(["delete", "get", "put"], Operations(paths, "/api/v1/organizations/{orgId}/members/{id}"));
        Assert.Equal(["post"], Operations(paths, "/api/v1/organizations/{orgId}/ownership"));
        Assert.All(new[] { "/subscriptions", "/subscriptions/{id}", "/orders", "/invoices", "/members/{memberId}/entitlements" },
            path => Assert.Contains("get", Operations(paths, "/api/v1/organizations/{orgId}" + path)));
        Assert.Equal(["post", "put"], Operations(paths, "/api/v1/organizations/{orgId}/subscriptions/{id}/seats"));
        foreach (var purchase in new[] { "", "/{id}/renewal", "/{id}/seats", "/{id}/addons", "/{id}/plan-change", "/unit-renewals" })
            Assert.Equal(["post"], Operations(paths, $"/api/v1/organizations/{{orgId}}/subscriptions{purchase}/quote"));
        foreach (var change in new[] { "trial", "{id}/cancel", "{id}/undo-cancel", "{id}/pause", "{id}/resume" })
            Assert.Equal(["post"], Operations(paths, $"/api/v1/organizations/{{orgId}}/subscriptions/{change}"));
        Assert.Equal(["put"], Operations(paths, "/api/v1/organizations/{orgId}/subscriptions/{id}/auto-renew"));
        Assert.Equal(["put"], Operations(paths, "/api/v1/organizations/{orgId}/members/{memberId}/seat"));
        Assert.Equal(["delete", "get"], Operations(paths, "/api/v1/orders/{id}"));
        Assert.Equal(["post"], Operations(paths, "/api/v1/orders/{id}/pay"));
        Assert.Equal(["post"], Operations(paths, "/api/v1/orders/{id}/cancel"));
        Assert.Equal(["get"], Operations(paths, "/api/v1/invoices/{id}"));
        Assert.Equal(["get"], Operations(paths, "/api/v1/invoices/{id}/pdf"));
        Assert.Equal(["post"], Operations(paths, "/api/v1/invoices/{id}/credit-notes"));
        Assert.Equal(["get", "post"], Operations(paths, "/api/v1/organizations/{orgId}/tickets"));
        foreach (var change in new[] { "replies", "close", "reopen" })
            Assert.Equal(["post"], Operations(paths, $"/api/v1/organizations/{{orgId}}/tickets/{{id}}/{change}"));
        Assert.Equal(["get"], Operations(paths, "/api/v1/tickets"));
        foreach (var change in new[] { "replies", "assign", "status", "priority" })
            Assert.Equal(["post"], Operations(paths, $"/api/v1/tickets/{{id}}/{change}"));
        var pdf = paths.GetProperty("/api/v1/invoices/{id}/pdf").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(pdf.TryGetProperty("application/pdf", out _), "the PDF download documents application/pdf");
        var placeSeats = paths.GetProperty("/api/v1/organizations/{orgId}/subscriptions/{id}/seats").GetProperty("post").GetProperty("responses");
        Assert.All(new[] { "201", "400", "403", "404", "409" }, code => Assert.True(placeSeats.TryGetProperty(code, out _), $"POST seats documents {code}"));
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name, StringComparison.Ordinal));

        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var security = operation.Value.GetProperty("security").EnumerateArray().ToList();
                Assert.Contains(security, s => s.TryGetProperty("Bearer", out _));
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _), $"{operation.Name} {path.Name} documents 401");
            }
        var update = paths.GetProperty("/api/v1/organizations/{id}").GetProperty("put").GetProperty("responses");
        Assert.All(new[] { "200", "400", "403", "404" }, code => Assert.True(update.TryGetProperty(code, out _), $"PUT documents {code}"));
    }

    [Fact]
    public async Task A_real_organization_response_matches_its_documented_schema()
    {
        var document = await DocumentAsync();
        var api = await app.OperatorApiAsync();
        var acmeId = await app.OrganizationIdAsync(ApiKeysForTests.Acme);
        var real = await (await api.GetAsync($"/api/v1/organizations/{acmeId}")).JsonAsync();

        var schema = Resolve(document, document.GetProperty("paths").GetProperty("/api/v1/organizations/{id}").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var documented = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();

        var names = real.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(14, names.Count);
        Assert.All(names, name => Assert.Contains(name, documented));
        var address = Resolve(document, schema.GetProperty("properties").GetProperty("billingAddress"));
        var addressProperties = address.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.All(real.GetProperty("billingAddress").EnumerateObject(), p => Assert.Contains(p.Name, addressProperties));
        var billingModes = Resolve(document, schema.GetProperty("properties").GetProperty("billingMode")).GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(real.GetProperty("billingMode").GetString(), billingModes);
    }

    [Fact]
    public async Task No_amount_is_a_json_number_and_integers_are_only_integers()
    {
        var document = await DocumentAsync();

        // Anywhere in the document: no number (float) type, no double or float format, no integer that also accepts a string.
        var offenders = new List<string>();
        Walk(document, "#", (path, node) =>
        {
            var types = Types(node);
            if (types.Contains("number")) offenders.Add($"{path}: type number");
            if (types.Contains("integer") && types.Contains("string")) offenders.Add($"{path}: integer or string");
            if (node.TryGetProperty("format", out var format) && format.GetString() is "double" or "float") offenders.Add($"{path}: format {format.GetString()}");
        });
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));

        var amount = document.GetProperty("components").GetProperty("schemas").GetProperty("Amount");
        Assert.Equal(("string", DecimalPattern), (amount.GetProperty("type").GetString(), amount.GetProperty("pattern").GetString()));

        // Every property that names money is an Amount or a decimal string; a count of units may be an integer. Never text.
        string[] money = ["amount", "total", "subtotal", "tax", "balance", "balanceAfter", "unitPrice", "price", "flatFee", "walletBalance", "threshold", "credited", "value"];
        var checkedProperties = 0;
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            if (!schema.Value.TryGetProperty("properties", out var properties)) continue;
            foreach (var property in properties.EnumerateObject().Where(p => money.Contains(p.Name)))
            {
                checkedProperties++;
                var value = property.Value;
                var isAmount = References(value).Contains("#/components/schemas/Amount");
                var isDecimal = Types(value).Contains("string") && value.TryGetProperty("pattern", out var pattern) && pattern.GetString() == DecimalPattern;
                var isCount = Types(value).Contains("integer");
                Assert.True(isAmount || isDecimal || isCount, $"{schema.Name}.{property.Name} is neither an amount nor a decimal string: {value.GetRawText()}");
            }
        }
        Assert.True(checkedProperties >= 30, $"only {checkedProperties} money properties found");
        foreach (var (schema, property) in new[] { ("WalletResponse", "balance"), ("OrderResponse", "total"), ("QuoteLineResponse", "unitPrice"), ("RedeemVoucherResponse", "walletBalance") })
            Assert.Contains("#/components/schemas/Amount", References(document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").GetProperty(property)));
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_described_tags_and_every_money_moving_post_declares_the_idempotency_key()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        var tags = document.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.TryGetProperty("description", out var d) ? d.GetString() : null);

        var problems = new List<string>();
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString())) problems.Add($"{name}: no summary");
                var used = operation.Value.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
                if (used.Count == 0) problems.Add($"{name}: no tag");
                problems.AddRange(used.Where(u => string.IsNullOrWhiteSpace(tags.GetValueOrDefault(u))).Select(u => $"{name}: tag '{u}' has no description"));
                var declaresKey = operation.Value.TryGetProperty("parameters", out var parameters)
                    && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
                var idempotent = app.Routes().Any(r => r.IsIdempotent && r.DocumentPath == path.Name && r.Method == operation.Name.ToUpperInvariant());
                if (declaresKey != idempotent) problems.Add($"{name}: Idempotency-Key {(idempotent ? "not declared" : "declared but not honoured")}");
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(app.Routes().Count(r => r.IsIdempotent) >= 16, "the idempotent routes were not found");

        // No two paths that differ only by their parameters' names (/faq/articles/{idOrSlug} beside /faq/articles/{id}).
        var shapes = paths.EnumerateObject().GroupBy(p => System.Text.RegularExpressions.Regex.Replace(p.Name, "\\{[^}]+\\}", "{}")).Where(g => g.Count() > 1);
        Assert.Empty(shapes.Select(g => string.Join(" = ", g.Select(p => p.Name))));
        Assert.True(paths.TryGetProperty("/api/v1/faq/articles/{id}", out var article) && article.TryGetProperty("get", out _) && article.TryGetProperty("put", out _));

        Assert.All(document.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/'), s.GetRawText()));
        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("info").GetProperty("license").GetProperty("name").GetString()));
    }

    /// <summary>
    /// scripts/test.sh lints the document the app serves with Redocly and Spectral (zero errors): this test saves it to
    /// ACCRUE_OPENAPI_FILE (the SQLite run's copy; the document doesn't depend on the database).
    /// </summary>
    [Fact]
    public async Task The_served_document_is_saved_for_the_linters()
    {
        var response = await app.Browser().GetAsync("/openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("3.1", JsonDocument.Parse(text).RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("ACCRUE_OPENAPI_FILE") is { Length: > 0 } file && app.Provider == "Sqlite")
            await File.WriteAllTextAsync(file, text);
    }

    private const string DecimalPattern = "^-?[0-9]+(\\.[0-9]+)?$";

    private static void Walk(JsonElement node, string path, Action<string, JsonElement> visit)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            visit(path, node);
            foreach (var child in node.EnumerateObject()) Walk(child.Value, $"{path}/{child.Name}", visit);
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var child in node.EnumerateArray()) Walk(child, $"{path}[{i++}]", visit);
        }
    }

    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
        : type.ValueKind == JsonValueKind.String ? [type.GetString()!]
        : []; // an object: a property that happens to be named "type" 

    /// <summary>The $refs of a schema, directly or inside a nullable oneOf/anyOf/allOf.</summary>
    private static List<string> References(JsonElement schema)
    {
        var found = new List<string>();
        Walk(schema, "", (_, node) => { if (node.TryGetProperty("$ref", out var r)) found.Add(r.GetString()!); });
        return found;
    }

    [Fact]
    public async Task The_reference_ui_is_served_from_our_own_server()
    {
        // Scalar answers the bare path with a redirect to the trailing-slash form, so its relative asset paths resolve.
        var bare = await app.Browser().GetAsync("/api-reference");
        Assert.Equal(HttpStatusCode.Found, bare.StatusCode);
        Assert.Equal("/api-reference/", new Uri(new Uri("https://localhost/api-reference"), bare.Headers.Location!).AbsolutePath);
        var response = await app.Browser().GetAsync("/api-reference/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = Http.Parse(await response.Content.ReadAsStringAsync());
        var scripts = page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.DoesNotContain("//", src, StringComparison.Ordinal));
        Assert.Empty(page.QuerySelectorAll("link[href^='http']"));
        // The vendor's promotions (AI agent, MCP server, hosted client, developer toolbar) and telemetry are off.
        var html = page.DocumentElement.OuterHtml;
        foreach (var setting in new[] { "\"hideClientButton\":true", "\"telemetry\":false", "\"showDeveloperTools\":\"never\"", "\"agent\":{\"disabled\":true}", "\"mcp\":{\"disabled\":true}" })
            Assert.Contains(setting, html, StringComparison.Ordinal);
        foreach (var src in scripts)
        {
            var script = await app.Browser().GetAsync(new Uri(new Uri("https://localhost/api-reference/"), src));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await app.Browser().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static List<string> Operations(JsonElement paths, string path) =>
        paths.GetProperty(path).EnumerateObject().Select(o => o.Name).Where(n => n is "get" or "post" or "put" or "delete" or "patch").Order().ToList();

    /// <summary>Follows a <c>$ref</c> (and a nullable <c>oneOf</c>/<c>allOf</c> wrapper) into components.schemas.</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            return Resolve(document, document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]));
        foreach (var wrapper in new[] { "allOf", "oneOf", "anyOf" })
            if (schema.TryGetProperty(wrapper, out var options))
                return Resolve(document, options.EnumerateArray().First(o => o.TryGetProperty("$ref", out _) || o.TryGetProperty("properties", out _) || o.TryGetProperty("enum", out _)));
        return schema;
    }
}

public sealed class OpenApiDocumentOnSqlite(SqliteApp app) : OpenApiDocumentTests(app), IClassFixture<SqliteApp>;

public sealed class OpenApiDocumentOnPostgres(PostgresApp app) : OpenApiDocumentTests(app), IClassFixture<PostgresApp>;
