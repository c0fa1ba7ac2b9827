using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Accrue.Bench;

/// <summary>The <c>--name value</c> options after the command, and the report header every benchmark prints.</summary>
public sealed partial class BenchOptions(string command, string[] args)
{
    private readonly Dictionary<string, string> _values = Parse(args);

    public string? Postgres => _values.GetValueOrDefault("postgres");

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The command that reproduces this run (the PostgreSQL password masked), the machine and the runtime.</summary>
    public void PrintHeader()
    {
        var line = string.Join(' ', args.Select(a => a.Contains(' ') || a.Contains(';') ? $"'{a}'" : a));
        Console.WriteLine($"Command:  dotnet run -c Release --project bench/Accrue.Bench -- {command} {PasswordPattern().Replace(line, "Password=***")}".TrimEnd());
        Console.WriteLine($"Machine:  {Environment.ProcessorCount} cores ({CpuModel()}), {MemoryGiB():F1} GiB, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"Runtime:  .NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}; started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Load:     {LoadAverage()} (1/5/15-minute load average before the run; other processes share the machine)");
        Console.WriteLine();
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Accrue.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Run the bench from inside the Accrue repository.");
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static Dictionary<string, string> Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            values[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }
        return values;
    }

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static double MemoryGiB() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);

    [GeneratedRegex("Password=[^;']*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();
}
