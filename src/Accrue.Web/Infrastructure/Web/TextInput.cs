using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Accrue.Domain.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Accrue.Web.Infrastructure.Web;

/// <summary>
/// The one gate for text that comes in (issue 15 A3): C0 control characters (U+0000–U+001F) and unpaired
/// surrogates are refused in every text input with a 400 field error, before any handler runs, so nothing
/// is written and both databases behave alike (PostgreSQL can't store U+0000; SQLite would). Tab, CR and LF
/// are allowed in multi-line fields (ticket bodies, reasons, descriptions, notes: <see cref="MultiLineFields"/>).
/// The API is checked by <see cref="RefuseInApiAsync"/> (JSON bodies, forms, query strings, route values);
/// pages by <see cref="TextInputPageFilter"/> (forms and query strings).
/// </summary>
public static class TextInput
{
    /// <summary>Fields (the last part of their name, in any case) that hold several lines of text.</summary>
    public static readonly FrozenSet<string> MultiLineFields = new[]
    {
        "body", "textBody", "htmlBody", "html", "message", "reason", "description", "note", "notes", "comment", "content", "text",
        "answer", "details", "modules", "unitLabels", "statusReason", "address", "legalAddress",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>What is wrong with <paramref name="value"/>, or null when it may be stored.</summary>
    public static string? Problem(string value, bool multiLine)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < ' ' && !(multiLine && c is '\t' or '\r' or '\n'))
                return c is '\t' or '\r' or '\n'
                    ? "Use a single line here: tabs and line breaks are not allowed."
                    : $"Remove the control character U+{(int)c:X4}: it can't be stored.";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return "The text is not valid Unicode (an unpaired surrogate).";
        }
        return null;
    }

    /// <summary>Whether the field named <paramref name="field"/> (<c>lines[0].description</c>, <c>Input.Body</c>) may hold line breaks.</summary>
    public static bool IsMultiLine(string field)
    {
        var last = field[(field.LastIndexOf('.') + 1)..];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        return MultiLineFields.Contains(bracket < 0 ? last : last[..bracket]);
    }

    /// <summary>Checks query-string values and names (never multi-line) into <paramref name="errors"/>.</summary>
    public static void CheckQuery(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        foreach (var (name, values) in query)
        {
            if (Problem(name, false) is { } badName) errors.TryAdd("query", [badName]);
            foreach (var value in values)
                if (value is not null && Problem(value, false) is { } problem) errors.TryAdd(name, [problem]);
        }
    }

    /// <summary>Checks form fields (not files) into <paramref name="errors"/>.</summary>
    public static void CheckForm(IFormCollection form, Dictionary<string, string[]> errors)
    {
        foreach (var (name, values) in form)
        {
            if (Problem(name, false) is { } badName) errors.TryAdd("form", [badName]);
            foreach (var value in values)
                if (value is not null && Problem(value, IsMultiLine(name)) is { } problem) errors.TryAdd(name, [problem]);
        }
    }

    /// <summary>
    /// API middleware: refuses a request whose JSON body, form, query string or route values carry such
    /// characters with 400 <c>validation_failed</c>, the fields named as the body spells them (<c>card.holder</c>,
    /// <c>lines[1].description</c>). A body that isn't valid JSON is left to model binding.
    /// </summary>
    public static async Task RefuseInApiAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckQuery(request.Query, errors);
        foreach (var (name, value) in request.RouteValues)
            if (value is string text && Problem(text, false) is { } problem) errors.TryAdd(name, [problem]);
        if (request.HasJsonContentType())
        {
            request.EnableBuffering();
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            request.Body.Position = 0;
            if (buffer.Length > 0) CheckJson(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), errors);
        }
        else if (request.HasFormContentType)
            CheckForm(await request.ReadFormAsync(CancellationToken.None), errors);

        if (errors.Count == 0)
        {
            await next(context);
            return;
        }
        await Failure.Invalid(errors).ToProblem().ExecuteAsync(context);
    }

    /// <summary>
    /// ASP.NET Core's form reader throws on <c>%00</c> in a url-encoded form, so antiforgery and model binding
    /// would answer a bare 400 that names nothing. Such a form is read here instead, the characters kept, so
    /// the checks above can name the field. Any other unreadable form is left as it was.
    /// </summary>
    public static async Task ReadFormsLenientlyAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.HasFormContentType && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            request.EnableBuffering();
            try
            {
                await request.ReadFormAsync(CancellationToken.None);
            }
            catch (InvalidDataException)
            {
                request.Body.Position = 0;
                using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                var text = await reader.ReadToEndAsync(CancellationToken.None);
                request.Body.Position = 0;
                if (text.Contains("%00", StringComparison.Ordinal))
                    context.Features.Set<IFormFeature>(new FormFeature(new FormCollection(ParseForm(text))));
            }
        }
        await next(context);
    }

    private static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> ParseForm(string text)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            list.Add(value);
        }
        return values.ToDictionary(v => v.Key, v => new Microsoft.Extensions.Primitives.StringValues([.. v.Value]), StringComparer.OrdinalIgnoreCase);

        static string Decode(string part) => Uri.UnescapeDataString(part.Replace('+', ' '));
    }

    private static void CheckJson(ReadOnlyMemory<byte> json, Dictionary<string, string[]> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            return;
        }
        using (document) Walk(document.RootElement, "", errors);
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.TryAdd(path.Length == 0 ? "body" : path, ["A property name is not valid Unicode (an unpaired surrogate)."]);
                        continue;
                    }
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (Problem(name, false) is { } badName) errors.TryAdd(child, [badName]);
                    Walk(property.Value, child, errors);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Walk(item, $"{path}[{index++.ToString(CultureInfo.InvariantCulture)}]", errors);
                break;
            case JsonValueKind.String:
                string? value;
                try
                {
                    value = element.GetString();
                }
                catch (InvalidOperationException)
                {
                    errors.TryAdd(path.Length == 0 ? "body" : path, ["The text is not valid Unicode (an unpaired surrogate)."]);
                    return;
                }
                if (value is not null && Problem(value, IsMultiLine(path)) is { } problem) errors.TryAdd(path.Length == 0 ? "body" : path, [problem]);
                break;
        }
    }
}

/// <summary>
/// The same gate for pages: after model binding and before the handler, a form field or query value with
/// a control character or an unpaired surrogate is answered with a 400 page naming the field; the handler
/// doesn't run, so nothing is written.
/// </summary>
public sealed class TextInputPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        TextInput.CheckQuery(request.Query, errors);
        if (request.HasFormContentType) TextInput.CheckForm(await request.ReadFormAsync(), errors);
        if (errors.Count == 0)
        {
            await next();
            return;
        }
        foreach (var (field, messages) in errors)
            foreach (var message in messages) context.ModelState.AddModelError(field, message);
        var path = request.Path.Value ?? "/";
        var metadata = context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>();
        context.Result = new ViewResult
        {
            ViewName = "/Features/Shared/BadInput.cshtml",
            StatusCode = StatusCodes.Status400BadRequest,
            ViewData = new ViewDataDictionary(metadata, context.ModelState)
            {
                ["Area"] = path.StartsWith("/console", StringComparison.OrdinalIgnoreCase) ? "Console"
                    : path.StartsWith("/portal", StringComparison.OrdinalIgnoreCase) ? "Portal" : null,
                ["Title"] = "Some text can't be accepted",
                ["Errors"] = errors,
                ["Back"] = path,
            },
        };
    }
}
