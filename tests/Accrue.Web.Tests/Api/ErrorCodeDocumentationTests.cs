using System.Text.RegularExpressions;
using Accrue.Domain.Common;
using Accrue.Web.Infrastructure.Web;

namespace Accrue.Web.Tests.Api;

/// <summary>Every error code the source can answer has a row in docs/errors.md.</summary>
public sealed partial class ErrorCodeDocumentationTests
{
    private static DirectoryInfo Repository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Accrue.slnx"))) directory = directory.Parent;
        return directory ?? throw new InvalidOperationException("Accrue.slnx not found above the test binaries.");
    }

    [Fact]
    public void Every_code_in_the_source_is_documented()
    {
        var root = Repository();
        var documented = DocumentedCode().Matches(File.ReadAllText(Path.Combine(root.FullName, "docs", "errors.md"))).Select(m => m.Groups[1].Value).ToHashSet();
        var used = Directory.EnumerateFiles(Path.Combine(root.FullName, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => FailureCode().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Concat(Enum.GetValues<FailureKind>().Select(Problems.DefaultCode))
            .ToHashSet();

        Assert.Contains("currency_locked", used); // the scan finds codes at all
        Assert.Empty(used.Except(documented).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"(?:with \{ |\) \{ |const string )Code = ""([a-z_]+)""")]
    private static partial Regex FailureCode();

    [GeneratedRegex(@"^\| `([a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedCode();
}
