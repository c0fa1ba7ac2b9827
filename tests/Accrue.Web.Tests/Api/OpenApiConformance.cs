using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Checks a real answer against the OpenAPI document: its status code is declared for the operation,
/// and its JSON body validates against the declared schema. Covers the subset of JSON Schema the
/// document uses (3.0 and 3.1 spellings): $ref, type (one or a list), nullable, enum, format (uuid,
/// date, date-time), pattern, properties, required, additionalProperties, items, allOf/anyOf/oneOf.
/// Strict about objects: a property the schema doesn't declare is an error unless additionalProperties allows it.
/// </summary>
public sealed class OpenApiConformance(JsonElement document)
{
    /// <summary><paramref name="json"/> is the body when it is JSON; <paramref name="hasBody"/> says whether any body came back.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? mediaType, string? json, bool hasBody)
    {
        var errors = new List<string>();
        var where = $"{method} {path} → {status}";
        if (!document.GetProperty("paths").TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            return [$"{where}: the operation is not in the document"];
        var responses = operation.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response) && !responses.TryGetProperty("default", out response))
            return [$"{where}: status {status} is not declared (declared: {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))})"];
        if (!hasBody) return errors;
        if (!response.TryGetProperty("content", out var content))
            return [$"{where}: a body came back but the response declares no content"];
        if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
            return [$"{where}: content type {mediaType} is not declared (declared: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))})"];
        if (json is null || !media.TryGetProperty("schema", out var schema)) return errors;
        Validate(schema, JsonDocument.Parse(json).RootElement, "$", errors);
        return [.. errors.Select(e => $"{where}: {e}")];
    }

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var node = document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/')) node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            schema = node;
        }
        return schema;
    }

    private void Validate(JsonElement schema, JsonElement value, string at, List<string> errors)
    {
        schema = Resolve(schema);
        if (schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any())) return;
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{at}: no value is allowed here");
            return;
        }
        if (schema.TryGetProperty("allOf", out var all))
            foreach (var part in all.EnumerateArray()) Validate(part, value, at, errors);
        foreach (var choice in new[] { "anyOf", "oneOf" })
            if (schema.TryGetProperty(choice, out var options))
            {
                var attempts = options.EnumerateArray().Select(o => { var e = new List<string>(); Validate(o, value, at, e); return e; }).ToList();
                if (!attempts.Any(a => a.Count == 0)) errors.Add($"{at}: matches none of {choice} ({string.Join(" | ", attempts.SelectMany(a => a).Take(3))})");
            }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        if (value.ValueKind == JsonValueKind.Null && nullable) return;
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!types.Any(t => IsOfType(value, t)))
            {
                errors.Add($"{at}: {value.ValueKind} where the schema says {string.Join(" or ", types)}");
                return;
            }
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => a.GetRawText() == value.GetRawText()))
            errors.Add($"{at}: {value.GetRawText()} is not one of {allowed.GetRawText()}");

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("format", out var format) && !HasFormat(text, format.GetString()))
                    errors.Add($"{at}: \"{text}\" is not a {format.GetString()}");
                if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!))
                    errors.Add($"{at}: \"{text}\" does not match {pattern.GetString()}");
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var i = 0;
                foreach (var element in value.EnumerateArray()) Validate(items, element, $"{at}[{i++}]", errors);
                break;
            case JsonValueKind.Object:
                var properties = schema.TryGetProperty("properties", out var p) ? p : default;
                if (schema.TryGetProperty("required", out var required))
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                        if (!value.TryGetProperty(name, out _)) errors.Add($"{at}: required property '{name}' is missing");
                var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : (JsonElement?)null;
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var declared))
                        Validate(declared, property.Value, $"{at}.{property.Name}", errors);
                    else if (additional is { } extra) Validate(extra, property.Value, $"{at}.{property.Name}", errors);
                    else if (properties.ValueKind == JsonValueKind.Object) errors.Add($"{at}: property '{property.Name}' is not declared");
                }
                break;
        }
    }

    private static bool IsOfType(JsonElement value, string type) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => false,
    };

    private static bool HasFormat(string text, string? format) => format switch
    {
        "uuid" => Guid.TryParse(text, out _),
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        _ => true,
    };
}
