using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Accrue.Web.Tests.Infrastructure;

/// <summary>Reads what reached the real SMTP test server (maildev's REST API), started by scripts/test.sh.</summary>
public static partial class MailDev
{
    private static readonly HttpClient Client = new()
    {
        BaseAddress = new Uri(Environment.GetEnvironmentVariable("ACCRUE_TEST_MAILDEV_URL")
            ?? throw new InvalidOperationException("ACCRUE_TEST_MAILDEV_URL is not set: run the tests with scripts/test.sh, which starts the SMTP test server.")),
    };

    public sealed record Message(string Id, string Subject, string Text, string Html, IReadOnlyList<string> To);

    /// <summary>Waits up to 60 s (the test SMTP server is shared and slow under load) for a message to <paramref name="to"/> whose subject contains <paramref name="subjectContains"/>.</summary>
    public static async Task<Message> WaitForAsync(string to, string subjectContains = "", TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        for (var round = 1; DateTime.UtcNow < deadline; round++)
        {
            // maildev filters by the exact address itself, so a poll reads a few messages, not the whole shared
            // inbox (thousands by the end of a run); every tenth poll reads everything, for the address in other case.
            var messages = round % 10 == 0 ? await AllAsync() : await ReadAsync($"/api/email?to.address={Uri.EscapeDataString(to)}");
            var found = messages.LastOrDefault(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && m.Subject.Contains(subjectContains, StringComparison.OrdinalIgnoreCase));
            if (found is not null) return found;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"No email to {to} with subject containing '{subjectContains}' arrived within the timeout.");
    }

    public static async Task<IReadOnlyList<Message>> ToAsync(string to) =>
        (await AllAsync()).Where(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase)).ToList();

    public static Task<IReadOnlyList<Message>> AllAsync() => ReadAsync("/api/email");

    private static async Task<IReadOnlyList<Message>> ReadAsync(string url)
    {
        var json = await Client.GetFromJsonAsync<JsonElement>(url);
        return json.EnumerateArray().Select(m => new Message(
            m.GetProperty("id").GetString()!,
            m.TryGetProperty("subject", out var s) ? s.GetString() ?? "" : "",
            m.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "",
            m.TryGetProperty("html", out var h) ? h.GetString() ?? "" : "",
            m.GetProperty("to").EnumerateArray().Select(a => a.GetProperty("address").GetString()!).ToList())).ToList();
    }

    /// <summary>The first link in the message's text that starts with <paramref name="pathPrefix"/> (e.g. /account/reset-password).</summary>
    public static string Link(this Message message, string pathPrefix) => LinkIn(message.Text, pathPrefix);

    /// <summary>The first link in <paramref name="text"/> that starts with <paramref name="pathPrefix"/>.</summary>
    public static string LinkIn(string text, string pathPrefix)
    {
        var match = LinkPattern().Matches(text).Select(m => m.Value).FirstOrDefault(u => new Uri(u).AbsolutePath.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new Xunit.Sdk.XunitException($"No link to {pathPrefix} in:\n{text}");
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
