using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Accrue.Domain.Common;
using Microsoft.AspNetCore.Http.Metadata;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// A JSON body that doesn't fit its declared type ("months": "12", "amount": 12.5, "seatTypeId": 7) becomes a 400
/// field error named as the body spells it (<c>months</c>, <c>seats[0].count</c>), saying what to send instead.
/// Malformed JSON is a 400 without field errors.
/// </summary>
public static class JsonBodyErrors
{
    public static Failure ToFailure(HttpContext context, JsonException exception)
    {
        // A reader error (wrapped with its path) means the text isn't JSON at all.
        if (exception.GetType() != typeof(JsonException) || exception.InnerException is JsonException)
            return new Failure(FailureKind.Invalid, $"The body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).") { Code = "invalid_json" };
        var path = exception.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var expected = ExpectedType(context, path);
        var message = OwnMessage(exception) ?? Expectation(expected);
        return string.IsNullOrEmpty(field)
            ? new Failure(FailureKind.Invalid, "Send a JSON object as the body.")
            : Failure.Invalid(field, message);
    }

    /// <summary>Our converters explain themselves; System.Text.Json's messages name .NET types, so they are replaced.</summary>
    private static string? OwnMessage(JsonException exception) =>
        exception.Message.StartsWith("Send ", StringComparison.Ordinal) ? exception.Message : null;

    private static string Expectation(Type? type)
    {
        if (type is null) return "This value has the wrong type.";
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "Send a whole number such as 12 (a JSON integer, not a string).";
        if (type == typeof(decimal) || type == typeof(Amount)) return WireDecimal.NotADecimal;
        if (type == typeof(bool)) return "Send true or false.";
        if (type == typeof(Guid)) return "Send an id: a UUID string such as \"0192f3a4-5b6c-7d8e-9f01-23456789abcd\".";
        if (type == typeof(DateOnly)) return "Send a date as \"YYYY-MM-DD\".";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "Send an instant in ISO 8601, such as \"2027-01-01T09:30:00Z\".";
        if (type.IsEnum) return $"Send one of: {string.Join(", ", Enum.GetNames(type))}.";
        if (type == typeof(string)) return "Send a string.";
        if (type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) return "Send an array.";
        return "Send an object.";
    }

    /// <summary>The .NET type the body declares at <paramref name="path"/> ($.seats[0].count), walked through the API's JSON contract.</summary>
    private static Type? ExpectedType(HttpContext context, string path)
    {
        // Inside the exception handler the endpoint has been cleared; the feature keeps it.
        var endpoint = context.GetEndpoint() ?? context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint;
        var root = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (root is null) return null;
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<JsonOptions>>().Value.SerializerOptions;
        var type = root;
        foreach (var segment in Segments(path))
        {
            var info = options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            if (segment is null)
            {
                if (info.ElementType is not { } element) return null;
                type = element;
                continue;
            }
            if (info.Kind == JsonTypeInfoKind.Dictionary && info.ElementType is { } value)
            {
                type = value;
                continue;
            }
            var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, segment, StringComparison.OrdinalIgnoreCase));
            if (property is null) return null;
            type = property.PropertyType;
        }
        return type;
    }

    /// <summary>$.seats[0].count → "seats", null (an index), "count"; $['odd name'] → "odd name".</summary>
    private static IEnumerable<string?> Segments(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                yield return path[(i + 1)..end];
                i = end;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) yield break;
                var inside = path[(i + 1)..end];
                yield return inside.StartsWith('\'') ? inside.Trim('\'') : null;
                i = end + 1;
            }
            else yield break;
        }
    }
}
