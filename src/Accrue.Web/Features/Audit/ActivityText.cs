using System.Text.RegularExpressions;

namespace Accrue.Web.Features.Audit;

/// <summary>
/// An audit action as a sentence for the Owner's Activity page: <c>Order.Updated</c> → "Changed an
/// order", <c>SubscriptionItem.Created</c> → "Added a subscription item". The raw action stays in the
/// console's audit log and the API, where operators filter by it.
/// </summary>
public static partial class ActivityText
{
    private static readonly Dictionary<string, string> Nouns = new(StringComparer.Ordinal)
    {
        ["ApiKey"] = "API key",
        ["SubscriptionItem"] = "subscription item",
        ["WalletEntry"] = "wallet entry",
        ["UnitBalance"] = "unit balance",
        ["WebhookEndpoint"] = "webhook endpoint",
        ["RemoteSupportSession"] = "remote-support session",
        ["PermissionSet"] = "permission set",
        ["CardOnFile"] = "card on file",
    };

    private static readonly Dictionary<string, string> Verbs = new(StringComparer.Ordinal)
    {
        ["Created"] = "Added",
        ["Updated"] = "Changed",
        ["Deleted"] = "Removed",
    };

    public static string Sentence(string action)
    {
        var dot = action.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == action.Length - 1) return Words(action);
        var entity = action[..dot];
        var verb = action[(dot + 1)..];
        var noun = Nouns.TryGetValue(entity, out var known) ? known : Words(entity).ToLowerInvariant();
        // "an API key", "an order", "a unit balance" (a "you" sound), "a voucher batch".
        var article = noun.StartsWith("API", StringComparison.Ordinal) || "aeio".Contains(noun[0]) ? "an" : "a";
        return $"{(Verbs.TryGetValue(verb, out var said) ? said : Words(verb))} {article} {noun}";
    }

    /// <summary>"VoucherBatch" → "Voucher batch".</summary>
    private static string Words(string pascal)
    {
        var words = Capitals().Replace(pascal, " $1").Trim();
        return words.Length == 0 ? pascal : char.ToUpperInvariant(words[0]) + words[1..].ToLowerInvariant();
    }

    [GeneratedRegex("(?<!^)([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex Capitals();
}
