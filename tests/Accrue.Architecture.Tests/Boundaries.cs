using Accrue.Domain.Billing;
using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Dependencies;
using ArchUnitNET.Loader;

namespace Accrue.Architecture.Tests;

/// <summary>
/// The boundaries of docs/architecture.md as tests over the compiled assemblies (every type reference
/// the compiler wrote: fields, signatures, method bodies, attributes, compiled Razor pages), so crossing
/// one fails the build's test run instead of waiting for a reviewer.
/// </summary>
public sealed class Boundaries
{
    private static readonly ArchUnitNET.Domain.Architecture Code =
        new ArchLoader().LoadAssemblies(typeof(Program).Assembly, typeof(Money).Assembly).Build();

    [Fact]
    public void The_domain_depends_on_nothing_but_the_base_class_library()
    {
        var domain = typeof(Money).Assembly;
        var outside = domain.GetReferencedAssemblies().Select(a => a.Name!).Where(name => !IsBaseClassLibrary(name)).ToList();
        Assert.Empty(outside);

        var crossings = Dependencies()
            .Where(d => d.Origin.Assembly.Name == domain.GetName().Name && d.Target.Assembly.Name != domain.GetName().Name && !IsBaseClassLibrary(d.Target.Assembly.Name))
            .Select(Describe).Distinct().Order().ToList();
        Assert.True(crossings.Count == 0, "The domain reaches outside the BCL:\n" + string.Join("\n", crossings));
    }

    [Fact]
    public void Data_and_infrastructure_do_not_depend_on_features()
    {
        var crossings = Dependencies()
            .Where(d => (IsIn(d.Origin, "Accrue.Web.Data") || IsIn(d.Origin, "Accrue.Web.Infrastructure")) && FeatureOf(d.Target) is not null)
            .Select(Describe).Distinct().Order().ToList();
        Assert.True(crossings.Count == 0, "Data/Infrastructure use a feature:\n" + string.Join("\n", crossings));
    }

    /// <summary>
    /// Feature folders may use one another, but never in a circle: a circle means neither can be read,
    /// changed or tested without the other. The money path still has one (docs/architecture.md, "What
    /// is left"): its edges are listed here, and the test fails when a dependency closes a new circle or
    /// adds an edge to this one, and when one of these goes away (delete its line: the list only shrinks).
    /// </summary>
    [Fact]
    public void Feature_folders_form_no_new_cycles()
    {
        string[] known =
        [
            "Bills → Orders", "Orders → Bills", "Orders → Usage", "Orders → Vouchers", "Orders → Wallet",
            "Renewals → Bills", "Renewals → Orders", "Renewals → Subscriptions", "Subscriptions → Orders",
            "Usage → Orders", "Vouchers → Orders", "Vouchers → Usage", "Vouchers → Wallet", "Wallet → Orders",
            "Wallet → Renewals",
        ];
        var edges = FeatureEdges();
        var inCycles = FeatureCycles(edges)
            .SelectMany(cycle => cycle.SelectMany(from => edges.GetValueOrDefault(from, []).Where(cycle.Contains).Select(to => $"{from} → {to}")))
            .Order().ToList();
        Assert.True(known.Order().SequenceEqual(inCycles), "Dependencies between feature folders that form circles now:\n" + string.Join("\n", inCycles));
    }

    /// <summary>Which feature folders each feature folder uses.</summary>
    private static Dictionary<string, List<string>> FeatureEdges() => Dependencies()
        .Select(d => (From: FeatureOf(d.Origin), To: FeatureOf(d.Target)))
        .Where(e => e.From is not null && e.To is not null && e.From != e.To)
        .Select(e => (From: e.From!, To: e.To!)).Distinct()
        .GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Order().ToList());

    /// <summary>Strongly connected components of more than one feature folder (Tarjan's algorithm).</summary>
    private static List<List<string>> FeatureCycles(Dictionary<string, List<string>> edges)
    {
        var nodes = edges.Keys.Concat(edges.Values.SelectMany(v => v)).Distinct().Order().ToList();

        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in edges.GetValueOrDefault(node, []))
            {
                if (!index.TryGetValue(next, out var seen)) { Visit(next); low[node] = Math.Min(low[node], low[next]); }
                else if (stack.Contains(next)) low[node] = Math.Min(low[node], seen);
            }
            if (low[node] != index[node]) return;
            var component = new List<string>();
            string member;
            do { member = stack.Pop(); component.Add(member); } while (member != node);
            if (component.Count > 1) components.Add([.. component.Order()]);
        }
        foreach (var node in nodes.Where(n => !index.ContainsKey(n))) Visit(node);
        return components;
    }

    private static IEnumerable<ITypeDependency> Dependencies() => Code.Types.SelectMany(t => t.Dependencies);

    /// <summary>The feature folder a type belongs to: <c>Accrue.Web.Features.Orders.X</c> → Orders; a compiled Razor page <c>Features_Orders_Pay</c> → Orders. Types directly in Features (the composition root) belong to none.</summary>
    private static string? FeatureOf(IType type)
    {
        const string prefix = "Accrue.Web.Features.";
        var name = type.Namespace.FullName;
        if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..].Split('.')[0];
        if (name == "AspNetCoreGeneratedDocument" && type.Name.StartsWith("Features_", StringComparison.Ordinal))
        {
            var parts = type.Name.Split('_');
            return parts.Length > 2 ? parts[1] : null;
        }
        return null;
    }

    private static bool IsIn(IType type, string ns) =>
        type.Namespace.FullName == ns || type.Namespace.FullName.StartsWith(ns + ".", StringComparison.Ordinal);

    private static bool IsBaseClassLibrary(string assembly) =>
        assembly is "System" or "netstandard" or "mscorlib" || assembly.StartsWith("System.", StringComparison.Ordinal);

    private static string Describe(ITypeDependency d) => $"{d.Origin.FullName} → {d.Target.FullName}";
}
