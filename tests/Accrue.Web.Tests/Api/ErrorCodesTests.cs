using System.Text.RegularExpressions;
using Accrue.Domain.Common;
using Accrue.Web.Infrastructure.Web;

namespace Accrue.Web.Tests.Api;

/// <summary>
/// Issue 15 D33: every error code the source can answer with is listed in docs/errors.md. The scan
/// reads every .cs file under src/ for the ways a code is written — <c>with { Code = "…" }</c>, an
/// initializer <c>{ Code = "…" }</c>, <c>const string …Code = "…"</c>, a <c>code: "…"</c> argument and a
/// <c>["code"] = "…"</c> extension — and adds the codes of every failure kind and HTTP status.
/// </summary>
public sealed partial class ErrorCodesTests
{
    [Fact]
    public void Every_code_in_the_source_is_documented_in_docs_errors_md()
    {
        var root = RepositoryRoot();
        var documented = DocumentedCodes(File.ReadAllText(Path.Combine(root, "docs", "errors.md")));
        var used = UsedCodes(root);

        // The scan must keep finding the codes it is known to see, or it proves nothing.
        Assert.Superset(new HashSet<string>
        {
            "seats_below_assigned", "insufficient_wallet_balance", "idempotency_key_reused", "idempotency_in_progress", "api_key_missing",
            "api_key_revoked", "currency_locked", "voucher_code_unknown", "card_declined", "validation_failed", "not_found", "rate_limited",
        }, used);
        var missing = used.Except(documented).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"Codes used in src/ but not listed in docs/errors.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Codes_are_snake_case_and_listed_once()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "errors.md"));
        var codes = lines.Select(l => DocumentedRow().Match(l)).Where(m => m.Success).Select(m => m.Groups["code"].Value).ToList();
        Assert.All(codes, c => Assert.Matches("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", c));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }

    private static HashSet<string> UsedCodes(string root)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            foreach (var pattern in new[] { WithCode(), InitializerCode(), ConstCode(), ArgumentCode(), ExtensionCode() })
                foreach (Match match in pattern.Matches(text)) codes.Add(match.Groups["code"].Value);
        }
        foreach (var kind in Enum.GetValues<FailureKind>()) codes.Add(Problems.DefaultCode(kind));
        for (var status = 400; status < 600; status++) codes.Add(Problems.CodeForStatus(status));
        return codes;
    }

    private static HashSet<string> DocumentedCodes(string markdown) =>
        markdown.Split('\n').Select(l => DocumentedRow().Match(l)).Where(m => m.Success).Select(m => m.Groups["code"].Value).ToHashSet(StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Accrue.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Accrue.slnx not found above the test binaries.");
    }

    [GeneratedRegex("""with\s*\{[^}]*?\bCode\s*=\s*"(?<code>[a-z][a-z0-9_]*)["]""")]
    private static partial Regex WithCode();

    [GeneratedRegex("""\)\s*\{\s*Code\s*=\s*"(?<code>[a-z][a-z0-9_]*)["]""")]
    private static partial Regex InitializerCode();

    [GeneratedRegex("""const\s+string\s+\w*Code\s*=\s*"(?<code>[a-z][a-z0-9_]*)["]""")]
    private static partial Regex ConstCode();

    [GeneratedRegex("""\b[Cc]ode:\s*"(?<code>[a-z][a-z0-9_]*)["]""")]
    private static partial Regex ArgumentCode();

    [GeneratedRegex("""\["code"\]\s*=\s*"(?<code>[a-z][a-z0-9_]*)["]""")]
    private static partial Regex ExtensionCode();

    [GeneratedRegex("""^\|\s*`(?<code>[a-z0-9_]+)`\s*\|""")]
    private static partial Regex DocumentedRow();
}
