using Accrue.Bench;

// Benchmarks are run by hand (docs/benchmarks.md): dotnet run -c Release --project bench/Accrue.Bench -- <benchmark> [options]
return args.FirstOrDefault() switch
{
    "billing" => await BillingBench.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/Accrue.Bench -- billing [--postgres <connection string>] [--subscriptions N]");
    return 2;
}
